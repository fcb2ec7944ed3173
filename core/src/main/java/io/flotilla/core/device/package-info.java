/** Devices and device profiles. Nothing here is null unless typed Optional. */
package io.flotilla.core.device;

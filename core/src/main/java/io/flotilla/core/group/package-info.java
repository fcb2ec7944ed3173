/** Static and dynamic device groups. Nothing here is null unless typed Optional. */
package io.flotilla.core.group;

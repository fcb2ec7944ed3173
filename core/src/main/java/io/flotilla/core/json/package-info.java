/** JSON as the domain reads and writes it. Nothing here is null unless typed Optional. */
package io.flotilla.core.json;

/** Keyset paging: cursors name a place in a total order, so pages stay correct while rows are added. */
package io.flotilla.core.paging;

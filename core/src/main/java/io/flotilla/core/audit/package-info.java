/** The hash-chained audit log. Nothing here is null unless typed Optional. */
package io.flotilla.core.audit;

/** The domain event stream: what happened, after it committed. Nothing here is null unless typed Optional. */
package io.flotilla.core.event;

/** The in-process bus: device-partitioned, batched, durable before acknowledgement. */
package io.flotilla.bus;

package io.flotilla.api;

import java.util.function.BooleanSupplier;

/** One thing the server needs before it can serve: a store, later a broker. */
public record ReadinessCheck(String name, BooleanSupplier ready) {}

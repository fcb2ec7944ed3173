package io.flotilla.core.service;

/** What a successful bulk import did. */
public record ImportResult(int created) {}

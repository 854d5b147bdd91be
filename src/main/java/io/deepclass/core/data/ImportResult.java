package io.deepclass.core.data;

/** An imported dataset and the report of what was imported and skipped. */
public record ImportResult(Dataset dataset, ImportReport report) {}

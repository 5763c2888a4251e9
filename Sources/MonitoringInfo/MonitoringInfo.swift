// The monitoring-info format: syntax, schema, validation and diagnostics.

extension Rule {
  /// Every tag, in the order of docs/format-reference.md ("Lint tags").
  public static let all: [Rule] = [
    .syntaxError, .keyOutsideSection, .invalidServiceName, .duplicateSection, .duplicateKey,
    .missingType, .unknownType, .unknownKey, .missingRequiredKey, .invalidValue,
    .sslNotSupported, .sslOptionWithoutSSL, .sslWithSTARTTLS, .incompleteCredentials, .quotedValue,
    .emptyFragment, .duplicateService,
    .fragmentOutsideDirectory, .fragmentNameMismatch, .fragmentNeedsConfSuffix,
    .fragmentWithoutTrigger, .triggerAwaits, .worldReadableCredentials, .linterUnavailable,
    .unusedFragment,
  ]
}

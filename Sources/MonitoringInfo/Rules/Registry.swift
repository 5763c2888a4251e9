extension Rule {
  /// Every tag, in the order of DESIGN section 4.
  public static let all: [Rule] = [
    .syntaxError, .keyOutsideSection, .invalidServiceName, .duplicateSection, .duplicateKey,
    .missingType, .unknownType, .unknownKey, .missingRequiredKey, .invalidValue,
    .sslNotSupported, .sslOptionWithoutSSL, .incompleteCredentials, .quotedValue,
    .emptyFragment, .duplicateService,
    .fragmentOutsideDirectory, .fragmentNameMismatch, .fragmentNeedsConfSuffix,
    .fragmentWithoutTrigger, .triggerAwaits, .worldReadableCredentials, .linterUnavailable,
  ]
}

Tag: monitoring-info-syntax-error
Severity: error
Check: monitoring-info
Explanation: Line is not a section header, a key = value pair or a comment.
 .
 A monitoring-info fragment is an INI-style UTF-8 text file. Every line
 must be blank, a comment starting with '#' or ';', a section header
 '[service]', or 'key = value'. Invalid UTF-8, NUL bytes and other
 control characters are errors too.
See-Also: monitoring-info-lint(1)

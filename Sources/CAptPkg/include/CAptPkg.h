// A small C API over libapt-pkg's deb822 reader, so that Swift code needs no C++ interop.
#ifndef CAPTPKG_H
#define CAPTPKG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct capt_tagfile capt_tagfile;

/// Opens a deb822 file (comments allowed). NULL on failure; see capt_last_error().
capt_tagfile *capt_tagfile_open(const char *path);
/// Advances to the next stanza: 1 = a stanza is current, 0 = end of file, -1 = error.
int capt_tagfile_step(capt_tagfile *file);
/// Finds a field (case-insensitive) in the current stanza. On success returns 1 and points
/// *start/*length at the raw value (continuation lines included); 0 when the field is absent.
int capt_tagfile_find(capt_tagfile *file, const char *field, const char **start, size_t *length);
void capt_tagfile_close(capt_tagfile *file);

/// The last error libapt-pkg recorded, as a newly allocated string (free() it), or NULL.
char *capt_last_error(void);

#ifdef __cplusplus
}
#endif

#endif

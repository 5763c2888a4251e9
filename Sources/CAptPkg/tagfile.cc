// SwiftPM passes -DDEBUG=1 in debug builds; apt's error.h has an enum member DEBUG.
#undef DEBUG
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "CAptPkg.h"

struct capt_tagfile {
  FileFd fd;
  pkgTagFile *tags = nullptr;
  pkgTagSection section;
};

extern "C" capt_tagfile *capt_tagfile_open(const char *path) {
  capt_tagfile *file = new (std::nothrow) capt_tagfile;
  if (file == nullptr) return nullptr;
  if (!file->fd.Open(path, FileFd::ReadOnly)) {
    delete file;
    return nullptr;
  }
  file->tags = new (std::nothrow) pkgTagFile(&file->fd, pkgTagFile::SUPPORT_COMMENTS);
  if (file->tags == nullptr || _error->PendingError()) {
    delete file->tags;
    delete file;
    return nullptr;
  }
  return file;
}

extern "C" int capt_tagfile_step(capt_tagfile *file) {
  if (file->tags->Step(file->section)) return 1;
  return _error->PendingError() ? -1 : 0;
}

extern "C" int capt_tagfile_find(capt_tagfile *file, const char *field, const char **start, size_t *length) {
  const char *begin = nullptr, *end = nullptr;
  if (!file->section.Find(APT::StringView(field), begin, end)) return 0;
  *start = begin;
  *length = static_cast<size_t>(end - begin);
  return 1;
}

extern "C" void capt_tagfile_close(capt_tagfile *file) {
  if (file == nullptr) return;
  delete file->tags;
  file->fd.Close();
  delete file;
}

extern "C" char *capt_last_error(void) {
  std::string message;
  std::string last;
  while (_error->PopMessage(last)) {
    if (!message.empty()) message += "; ";
    message += last;
  }
  if (message.empty()) return nullptr;
  return strdup(message.c_str());
}

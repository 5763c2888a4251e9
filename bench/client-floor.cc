// bench/client-floor: the least any libapt-pkg-based dry run has to do, in C++ with nothing else:
// start with libapt-pkg loaded, scan dpkg's status with pkgTagFile (Package, Conffiles), and
// read the fragment files named on the command line. No validation, no payload, no output.
// bench/client times it next to monitoring-info-sync --dry-run to show where the floor is.
#undef DEBUG
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) return 64;
  FileFd fd;
  if (!fd.Open(argv[1], FileFd::ReadOnly)) return 1;
  pkgTagFile tags(&fd, pkgTagFile::SUPPORT_COMMENTS);
  pkgTagSection section;
  size_t packages = 0, conffiles = 0;
  while (tags.Step(section)) {
    const char *start, *end;
    if (section.Find(APT::StringView("Package"), start, end)) packages++;
    if (section.Find(APT::StringView("Conffiles"), start, end)) conffiles += end - start;
  }
  size_t bytes = 0;
  std::vector<char> buffer;
  for (int i = 2; i < argc; i++) {
    int file = open(argv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat status;
    if (file < 0 || fstat(file, &status) != 0) return 1;
    buffer.resize(status.st_size + 1);
    ssize_t count = read(file, buffer.data(), buffer.size());
    close(file);
    if (count < 0) return 1;
    bytes += count;
  }
  std::fprintf(stderr, "%zu packages, %zu bytes of Conffiles, %zu bytes of fragments\n", packages, conffiles, bytes);
  return packages > 0 ? 0 : 1;
}

#!/usr/bin/env python3
"""The anchor of bench/lint: Python's configparser merely parsing every *.conf file of a directory."""
import configparser
import glob
import os
import sys

sections = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.conf"))):
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#", ";"), inline_comment_prefixes=None)
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    sections += len(parser.sections())
print(sections, file=sys.stderr)

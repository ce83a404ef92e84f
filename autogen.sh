#!/bin/sh
# autogen.sh: turns configure.ac and Makefile.am into ./configure.
set -e
cd "$(dirname "$0")"
autoreconf --install --force

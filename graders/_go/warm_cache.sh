#!/bin/sh
# Set-up step for Go answers (run once by `make deps`, and again whenever
# Debian's Go or go-sqlite3 changes). Produces, under graders/_go/:
#   bin/gbgo            the sandboxed harness (completes, compiles, runs)
#   pkg/*.a             the pure-Go driver (a client of the grader's
#                       database server) and std, compiled once without cgo
#   pkg/importcfg       every archive, at the paths the sandbox sees
#                       (/opt/gradebox/go, mounted read-only): the linker's
#   pkg/importcfg.compile  what an answer may import: std without its
#                       internal and vendored packages, and the driver
#   pkg/*.host          the same two at host paths, for runs outside
#   cache/              the go command's build cache used to make the above
# Answers are then compiled with `go tool compile`/`link` against pkg/: the
# sandbox mounts it read-only and writes only to its own /tmp, so no answer
# can leave anything behind for the next one. Nothing here uses cgo: no
# answer can link C, and linking is faster.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sandbox_root=/opt/gradebox/go
export GO111MODULE=off GOFLAGS= CGO_ENABLED=0 GOCACHE="$here/cache" HOME=/tmp
export PATH=/usr/bin:/bin

mkdir -p "$here/bin" "$here/pkg" "$here/cache"
# Built as package "gbgo" of a scratch GOPATH with -trimpath: the binary
# records no checkout path (a box can read it, as it can its mount table).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src/gbgo"
cp "$here"/harness/*.go "$scratch/src/gbgo/"
rm -f "$scratch"/src/gbgo/*_test.go
(cd "$scratch/src/gbgo" && GOPATH="$scratch" go build -trimpath -o "$here/bin/gbgo.tmp" .)
mv "$here/bin/gbgo.tmp" "$here/bin/gbgo"

# Export data of std and of the driver; the driver's source paths trimmed
# to its import path (std keeps Debian's prebuilt archives).
GOPATH="$here/gopath" go list -export -deps \
  -gcflags="github.com/mattn/go-sqlite3=-trimpath=$here/gopath/src=>" \
  -f '{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}' std github.com/mattn/go-sqlite3 >"$here/pkg/exports.txt"

goroot=$(go env GOROOT)
rm -rf "$here/pkg/github.com/mattn/go-sqlite3"  # the real driver of older set-ups
: >"$here/pkg/importcfg.tmp"
: >"$here/pkg/importcfg.host.tmp"
: >"$here/pkg/importcfg.compile.tmp"
: >"$here/pkg/importcfg.compile.host.tmp"
while read -r path export; do
  case "$export" in
    "$goroot"/*) target="$export"; host="$export" ;;
    *) # built into the cache: copy it where the sandbox can see it
       rel="$path.a"
       mkdir -p "$here/pkg/$(dirname "$rel")"
       cp "$export" "$here/pkg/$rel"
       target="$sandbox_root/pkg/$rel"; host="$here/pkg/$rel" ;;
  esac
  echo "packagefile $path=$target" >>"$here/pkg/importcfg.tmp"
  echo "packagefile $path=$host" >>"$here/pkg/importcfg.host.tmp"
  case "/$path/" in
    */internal/*|/vendor/*) ;;
    *) echo "packagefile $path=$target" >>"$here/pkg/importcfg.compile.tmp"
       echo "packagefile $path=$host" >>"$here/pkg/importcfg.compile.host.tmp" ;;
  esac
done <"$here/pkg/exports.txt"
for f in importcfg importcfg.host importcfg.compile importcfg.compile.host; do
  mv "$here/pkg/$f.tmp" "$here/pkg/$f"
done
rm "$here/pkg/exports.txt"
chmod -R a+rX "$here/bin" "$here/pkg"
echo "warm_cache: $(grep -c . "$here/pkg/importcfg") packages in $here/pkg"

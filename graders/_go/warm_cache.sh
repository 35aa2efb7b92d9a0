#!/bin/sh
# Set-up step for Go answers (run once by `make deps`, and again whenever
# Debian's Go or go-sqlite3 changes). Produces, under graders/_go/:
#   bin/gbgo            the sandboxed harness (seeds, completes, compiles, runs)
#   pkg/*.a             the driver shim and the real driver, compiled once
#   pkg/importcfg       every std package and the shim, at the paths the
#                       sandbox sees (/opt/gradebox/go, mounted read-only)
#   pkg/importcfg.host  the same at host paths, for runs outside the sandbox
#   cache/              the go command's build cache used to make the above
# Answers are then compiled with `go tool compile`/`link` against pkg/: the
# sandbox mounts it read-only and writes only to its own /tmp, so no answer
# can leave anything behind for the next one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sandbox_root=/opt/gradebox/go
export GO111MODULE=off GOFLAGS= CGO_ENABLED=1 GOCACHE="$here/cache" HOME=/tmp
export PATH=/usr/bin:/bin

mkdir -p "$here/bin" "$here/pkg" "$here/cache"
(cd "$here/harness" && GOPATH=/usr/share/gocode go build -o "$here/bin/gbgo.tmp" .)
mv "$here/bin/gbgo.tmp" "$here/bin/gbgo"

# Export data of std and of the shim (which pulls in the real driver).
GOPATH="$here/gopath" go list -export -deps \
  -f '{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}' std github.com/mattn/go-sqlite3 >"$here/pkg/exports.txt"

goroot=$(go env GOROOT)
: >"$here/pkg/importcfg.tmp"
: >"$here/pkg/importcfg.host.tmp"
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
done <"$here/pkg/exports.txt"
mv "$here/pkg/importcfg.tmp" "$here/pkg/importcfg"
mv "$here/pkg/importcfg.host.tmp" "$here/pkg/importcfg.host"
rm "$here/pkg/exports.txt"
chmod -R a+rX "$here/bin" "$here/pkg"
echo "warm_cache: $(grep -c . "$here/pkg/importcfg") packages in $here/pkg"

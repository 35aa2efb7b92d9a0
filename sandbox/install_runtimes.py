#!/usr/bin/env python3
"""Installs each runtime profile's view of /usr under a fixed path.

`make deps` runs this (as root) after apt: for every graders/_*/profile.json
with a "usr" list it builds INSTALL_ROOT/runtimes/<name>/usr, which the box
binds at /usr instead of the host's whole /usr. A view holds the listed
paths (globs allowed), every shared library their ELF files load (ldd, run
here on trusted system files, never in the box), the "libraries" the
profile names (dlopen'ed ones, found with ldconfig -p), and the targets of
every symlink in it, so nothing inside dangles. Files are hard links to the
host's (a copy where the file system refuses one): no disk space, and an
apt upgrade leaves the view consistent, just old until the next
`make deps` (gradebox refuses a view whose runtime binary is not the
host's: runtime_profile.cc).

Usage: install_runtimes.py GRADERS_DIR INSTALL_ROOT
The view is built beside the old one and swapped in whole.
"""
import glob
import json
import os
import shutil
import subprocess
import sys

USR = "/usr"


def under_usr(path):
    return path == USR or path.startswith(USR + "/")


def host_path(path):
    """`path` with its parent folders resolved (/lib -> /usr/lib, /lib64 ->
    /usr/lib64), its last component kept: a symlink stays a symlink."""
    parent, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(parent), name)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def loaded_libraries(path):
    """Absolute paths of what the dynamic loader maps for `path` (ldd)."""
    try:
        out = subprocess.run(["ldd", path], capture_output=True, text=True,
                             timeout=60, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"}).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    found = []
    for line in out.splitlines():
        words = line.split()
        if "=>" in words:
            target = words[words.index("=>") + 1]
            if target.startswith("/"):
                found.append(target)
        elif words and words[0].startswith("/"):
            found.append(words[0])  # the loader itself
    return found


def library_path(name):
    """A library's path from the loader cache (ldconfig -p), or None."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        words = line.split()
        if words and words[0] == name and "=>" in words and "x86-64" in line:
            return words[-1]
    return None


class View:
    """The files of one view, added by host path under /usr."""

    def __init__(self, root):
        self.root = root  # the folder that stands for /
        self.done = set()
        self.pending = []
        self.outside = set()

    def want(self, path):
        path = host_path(path)
        if not under_usr(path):
            self.outside.add(path)
        elif path not in self.done:
            self.pending.append(path)

    def build(self):
        while self.pending:
            path = self.pending.pop()
            if path in self.done:
                continue
            self.done.add(path)
            self.add(path)

    def make_parents(self, folder):
        """The folders above an entry, with the host's modes, not their content."""
        if folder == "/" or os.path.isdir(self.root + folder):
            return
        self.make_parents(os.path.dirname(folder))
        os.mkdir(self.root + folder)
        os.chmod(self.root + folder, os.stat(folder).st_mode & 0o7777)

    def add(self, path):
        into = self.root + path
        self.make_parents(os.path.dirname(path))
        if os.path.islink(path):
            target = os.readlink(path)
            if not os.path.lexists(into):
                os.symlink(target, into)
            self.want(os.path.join(os.path.dirname(path), target))
            final = os.path.realpath(path)
            if under_usr(final):
                self.want(final)  # reached through /etc/alternatives and the like
        elif os.path.isdir(path):
            os.makedirs(into, exist_ok=True)
            os.chmod(into, os.stat(path).st_mode & 0o7777)
            for name in os.listdir(path):
                self.want(os.path.join(path, name))
        elif os.path.isfile(path):
            if not os.path.lexists(into):
                try:
                    os.link(path, into)
                except OSError:
                    shutil.copy2(path, into)
            if is_elf(path):
                for library in loaded_libraries(path):
                    self.want(library)


def install_view(profile, runtimes):
    name = profile["name"]
    final = os.path.join(runtimes, name)
    fresh, old = final + ".new", final + ".old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    view = View(fresh)
    os.makedirs(fresh + USR)
    for pattern in profile["usr"]:
        matches = sorted(glob.glob(pattern))
        if not matches:
            sys.exit(f"install_runtimes: {name}: nothing matches {pattern}")
        for match in matches:
            view.want(match)
    for library in profile.get("libraries", []):
        path = library_path(library)
        if path is None:
            sys.exit(f"install_runtimes: {name}: library {library} not found (ldconfig -p)")
        view.want(path)
    view.build()
    if os.path.exists(final):
        os.rename(final, old)
    os.rename(fresh, final)
    shutil.rmtree(old, ignore_errors=True)
    outside = ", ".join(sorted(view.outside)) or "none"
    print(f"install_runtimes: {final}/usr: {len(view.done)} paths (left out, not under /usr: {outside})")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    graders, root = sys.argv[1], sys.argv[2]
    runtimes = os.path.join(root, "runtimes")
    os.makedirs(runtimes, exist_ok=True)
    os.chmod(root, 0o755)
    os.chmod(runtimes, 0o755)
    for path in sorted(glob.glob(os.path.join(graders, "_*", "profile.json"))):
        with open(path) as f:
            profile = json.load(f)
        if "usr" in profile:
            install_view(profile, runtimes)


if __name__ == "__main__":
    main()

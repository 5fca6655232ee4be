#!/usr/bin/env python3
"""Marks one GLIBCXX version requirement of an ELF shared library as weak, in place, when the system's libstdc++
lacks that version (see docs/torchsharp.md).

TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and so asks for GLIBCXX_3.4.32, which
Debian 12's libstdc++ (GCC 12, up to GLIBCXX_3.4.30) does not define. The only symbol bound to that version is the
marker std::ios_base_library_init, which nothing calls. Setting VER_FLG_WEAK (0x2) on that Vernaux entry of
.gnu.version_r makes the dynamic loader accept a libstdc++ without the version (it still binds every other symbol
normally). Only the flags field changes; the file keeps its size and modification time, and is replaced atomically
(so a hard link into the NuGet cache is never written through).

Usage: weak-glibcxx.py LIBRARY [VERSION] [SYSTEM_LIBSTDCXX]
Exit 0: patched, already weak, or nothing to do (the system has the version, or the library does not ask for it).
"""
import os
import struct
import sys
import tempfile

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def system_has(version, libstdcxx):
    try:
        with open(libstdcxx, "rb") as f:
            return version.encode() + b"\0" in f.read()
    except OSError:
        return False  # no libstdc++ where expected: patching is the safe choice


def find_vernaux(data, version):
    """Offsets of the vna_flags fields of Vernaux entries named VERSION (ELF64 little-endian only)."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    found = []
    for (_name, sh_type, _flags, _addr, offset, _size, link, info, _align, _entsize) in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = sections[link][4]
        vn = offset
        for _ in range(info):  # sh_info = number of Verneed entries
            _vn_version, vn_cnt, _vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, vn)
            aux = vn + vn_aux
            for _ in range(vn_cnt):
                _hash, _flags, _other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                end = data.index(b"\0", strtab + vna_name)
                if data[strtab + vna_name:end].decode() == version:
                    found.append(aux + 4)
                if vna_next == 0:
                    break
                aux += vna_next
            if vn_next == 0:
                break
            vn += vn_next
    return found


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    version = sys.argv[2] if len(sys.argv) > 2 else "GLIBCXX_3.4.32"
    libstdcxx = sys.argv[3] if len(sys.argv) > 3 else "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"
    if system_has(version, libstdcxx):
        return 0
    with open(path, "rb") as f:
        data = bytearray(f.read())
    fields = find_vernaux(data, version)
    todo = [o for o in fields if not struct.unpack_from("<H", data, o)[0] & VER_FLG_WEAK]
    if not todo:
        return 0
    for o in todo:
        flags, = struct.unpack_from("<H", data, o)
        struct.pack_into("<H", data, o, flags | VER_FLG_WEAK)
    st = os.stat(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".weak-glibcxx-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, st.st_mode & 0o7777)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    print(f"weak-glibcxx: {path}: {version} marked weak (the system libstdc++ lacks it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

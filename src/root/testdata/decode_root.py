#!/usr/bin/python3
"""An independent ROOT TTree decoder, used only to write the expected values in
conformance.txt (which root_test compares the C++ reader against).

It shares no code or tables with src/root: where the C++ reader hard-codes the member
layouts of TTree, TBranch and TLeaf, this script reads each object generically through the
file's own TStreamerInfo records (member names, types, base classes, counted arrays), so an
error in the C++ layouts shows up as a disagreement. Python's stdlib zlib and lzma, Debian's
python3-lz4 and python3-zstandard decompress.

Usage: decode_root.py FILE TREE  -> prints the scan JSON for every numeric branch
"""
import array
import json
import lzma
import struct
import sys
import zlib

try:
    import lz4.block as lz4block
except ImportError:  # pragma: no cover
    lz4block = None
try:
    import zstandard
except ImportError:  # pragma: no cover
    zstandard = None


class Buf:
    def __init__(self, data, origin=0):
        self.d, self.p, self.origin = data, 0, origin
        self.classes, self.objects = {}, {}

    def take(self, fmt):
        v = struct.unpack_from(">" + fmt, self.d, self.p)
        self.p += struct.calcsize(">" + fmt)
        return v if len(v) > 1 else v[0]

    def raw(self, n):
        v = self.d[self.p:self.p + n]
        if len(v) != n:
            raise ValueError("truncated")
        self.p += n
        return v

    def tstring(self):
        n = self.take("B")
        if n == 255:
            n = self.take("I")
        return self.raw(n).decode("latin1")

    def cstring(self):
        e = self.d.index(b"\0", self.p)
        s = self.d[self.p:e].decode("latin1")
        self.p = e + 1
        return s

    def version(self):
        """(version, end or None)"""
        (w,) = struct.unpack_from(">I", self.d, self.p)
        if w & 0x40000000:
            self.p += 4
            end = self.p + (w & ~0x40000000)
            return self.take("h"), end
        return self.take("h"), None


def decompress(stored, n):
    if len(stored) == n:
        return stored
    out, p = b"", 0
    while len(out) < n:
        algo = stored[p:p + 2]
        c = stored[p + 3] | stored[p + 4] << 8 | stored[p + 5] << 16
        u = stored[p + 6] | stored[p + 7] << 8 | stored[p + 8] << 16
        block = stored[p + 9:p + 9 + c]
        if algo == b"ZL":
            out += zlib.decompress(block)
        elif algo == b"XZ":
            out += lzma.decompress(block)
        elif algo == b"L4":
            out += lz4block.decompress(block[8:], uncompressed_size=u)
        elif algo == b"ZS":
            out += zstandard.ZstdDecompressor().decompress(block, max_output_size=u)
        else:
            raise ValueError("unknown algorithm %r" % algo)
        p += 9 + c
    return out


class RootFile:
    def __init__(self, path, fallback=None):
        self.d = open(path, "rb").read()
        if self.d[:4] != b"root":
            raise ValueError("not a ROOT file")
        b = Buf(self.d)
        b.p = 4
        ver, begin = b.take("ii")
        big = ver >= 1000000
        self.end = b.take("q" if big else "i")
        b.take("q" if big else "i")  # seek free
        b.take("ii")
        nbytes_name = b.take("i")
        b.take("B")
        b.take("i")
        self.seek_info = b.take("q" if big else "i")
        self.nbytes_info = b.take("i")
        self.keys = self.dir_keys(begin + nbytes_name)
        self.streamers = {}
        self.streamers = self.read_streamers()
        if fallback:
            # Files written without streamer info (src/root's writer writes none, as ROOT and
            # uproot know TTree, TBranch and TLeaf built in): take the class layouts from
            # ROOT-written files.
            for other in fallback:
                for name, info in RootFile(other, ()).streamers.items():
                    self.streamers.setdefault(name, info)
            if "TLeafS" not in self.streamers and "TLeafI" in self.streamers:
                leaf_s = dict(self.streamers["TLeafI"])
                leaf_s["elements"] = [dict(e) for e in leaf_s["elements"]]
                for e in leaf_s["elements"][1:]:
                    e["type"] = 2  # short
                self.streamers["TLeafS"] = leaf_s

    def key(self, pos):
        b = Buf(self.d)
        b.p = pos
        nbytes, kv, objlen, _, keylen, cycle = b.take("ihiIhh")
        seek = b.take("qq" if kv > 1000 else "ii")[0]
        cls, name, _ = b.tstring(), b.tstring(), b.tstring()
        return dict(nbytes=nbytes, objlen=objlen, keylen=keylen, cycle=cycle, seek=seek,
                    cls=cls, name=name, pos=pos, end=b.p)

    def dir_keys(self, at):
        b = Buf(self.d)
        b.p = at
        v = b.take("h")
        b.take("IIii")
        seek_keys = b.take("qqq" if v > 1000 else "iii")[2]
        k = self.key(seek_keys)
        b.p = seek_keys + k["keylen"]
        n = b.take("i")
        keys, p = [], b.p
        for _ in range(n):
            kk = self.key(p)
            keys.append(kk)
            p = kk["end"]
        return keys

    def object(self, k):
        start = k["seek"] + k["keylen"]
        stored = self.d[start:k["seek"] + k["nbytes"]]
        return Buf(decompress(stored, k["objlen"]), origin=k["keylen"])

    # ---- TStreamerInfo: class name -> list of (kind, name, type, extra)
    def read_streamers(self):
        k = self.key(self.seek_info)
        b = self.object(k)
        out = {}
        lst = self.read_class(b, "TList")
        for info in lst:
            if isinstance(info, dict) and info.get("_class") == "TStreamerInfo":
                out[info["fName"]] = info
        return out

    def read_any(self, b, streamers):
        start = b.origin + b.p
        (w,) = struct.unpack_from(">I", b.d, b.p)
        b.p += 4
        if w == 0:
            return None
        if not (w & 0x40000000):
            return b.objects.get(w, ("ref", w))
        end = b.p + (w & ~0x40000000)
        ctag_pos = b.origin + b.p
        tag = b.take("I")
        if tag == 0xFFFFFFFF:
            cls = b.cstring()
            b.classes[ctag_pos + 2] = cls
        else:
            cls = b.classes[tag & ~0x80000000]
        obj = self.read_class(b, cls, end)
        b.objects[start + 2] = obj
        b.p = end
        return obj

    def read_class(self, b, cls, end=None):
        if cls == "TObject":
            self.tobject(b)
            return {"_class": cls}
        if cls in ("TObjArray", "TList", "THashList"):
            v, e = b.version()
            if cls == "TObjArray":
                if v > 2:
                    self.tobject(b)
                if v > 1:
                    b.tstring()
                n, _ = b.take("ii")
                items = [self.read_any(b, None) for _ in range(n)]
            else:
                self.tobject(b)
                b.tstring()
                n = b.take("i")
                items = []
                for _ in range(n):
                    items.append(self.read_any(b, None))
                    b.raw(b.take("B"))
            if e is not None:
                b.p = e
            return items
        if cls == "TBasket":
            return self.embedded_basket(b, end)
        if cls.startswith("TArray"):
            n = b.take("i")
            code = {"TArrayD": "d", "TArrayI": "i", "TArrayF": "f", "TArrayL64": "q",
                    "TArrayS": "h", "TArrayC": "b"}[cls]
            return list(struct.unpack_from(">%d%s" % (n, code), b.raw(n * struct.calcsize(code))))
        if cls == "TStreamerInfo" or cls.startswith("TStreamer"):
            return self.streamer_object(b, cls)
        info = self.streamers.get(cls)
        if info is None and end is not None:
            return {"_class": cls, "_skipped": True}  # not needed here (TObjString rules)
        if info is None:
            raise ValueError("no streamer for " + cls)
        v, e = b.version()
        obj = {"_class": cls, "_version": v}
        self.members(b, info, obj)
        if e is not None:
            b.p = e
        return obj

    def tobject(self, b):
        b.version()
        b.take("I")
        bits = b.take("I")
        if bits & (1 << 4):
            b.take("H")

    def streamer_object(self, b, cls):
        v, e = b.version()
        obj = {"_class": cls}
        if cls == "TStreamerInfo":
            v2, e2 = b.version()
            self.tobject(b)
            obj["fName"], _ = b.tstring(), b.tstring()
            b.p = e2
            b.take("I")
            obj["version"] = b.take("i")
            obj["elements"] = self.read_any(b, None)
        else:
            v2, e2 = b.version()
            vn, en = b.version()
            self.tobject(b)
            obj["name"], obj["title"] = b.tstring(), b.tstring()
            b.p = en
            obj["type"], obj["size"], obj["alen"], _ = b.take("iiii")
            b.raw(20)
            obj["typename"] = b.tstring()
            b.p = e2
            if cls in ("TStreamerBasicPointer", "TStreamerLoop"):
                b.take("i")
                obj["countname"] = b.tstring()
        b.p = e
        return obj

    BASIC = {1: "b", 2: "h", 3: "i", 4: "q", 5: "f", 6: "i", 8: "d", 11: "B", 12: "H", 13: "I",
             14: "Q", 15: "I", 16: "q", 17: "Q", 18: "?"}

    def members(self, b, info, obj):
        for el in info["elements"]:
            t, name = el["type"], el["name"]
            if el["_class"] == "TStreamerBase":
                base = self.read_class(b, name)
                if isinstance(base, dict):
                    obj.update({k: v for k, v in base.items() if not k.startswith("_")})
            elif t in self.BASIC:
                obj[name] = b.take(self.BASIC[t])
            elif 20 < t < 40 and t - 20 in self.BASIC:
                obj[name] = [b.take(self.BASIC[t - 20]) for _ in range(el["alen"])]
            elif 40 < t < 60 and t - 40 in self.BASIC:
                flag = b.take("B")
                n = obj[el["countname"]]
                obj[name] = [b.take(self.BASIC[t - 40]) for _ in range(n)] if flag else []
            elif t == 65:
                obj[name] = b.tstring()
            elif t in (61, 62):
                obj[name] = self.read_class(b, el["typename"].rstrip("*"))
            elif t in (63, 64):
                obj[name] = self.read_any(b, None)
            elif t == 66:
                self.tobject(b)
            elif t == 67:
                obj.update(self.read_class(b, "TNamed"))
            else:
                raise ValueError("member %s of type %d not handled" % (name, t))

    def embedded_basket(self, b, end):
        nbytes, kv, objlen, _, keylen, _ = b.take("ihiIhh")
        b.take("qq" if kv > 1000 else "ii")
        b.tstring(), b.tstring(), b.tstring()
        v, _, _, nevbuf, last, flag = b.take("hiiiiB")
        basket = {"_class": "TBasket", "nevbuf": nevbuf, "data": None}
        if flag == 0 or nevbuf == 0:
            return basket
        if flag % 10 != 2:
            n = b.take("i")
            basket["offsets"] = [o - keylen for o in struct.unpack_from(">%di" % n, b.raw(4 * n))]
        if flag > 40:
            b.raw(4 * b.take("i"))
        if flag == 1 or flag > 10:
            basket["data"] = b.raw(last)[keylen:]
        return basket


LEAF_CODES = {"TLeafO": "?", "TLeafB": "b", "TLeafS": "h", "TLeafI": "i", "TLeafL": "q",
              "TLeafG": "q", "TLeafF": "f", "TLeafD": "d"}


def walk(branches):
    for br in branches or []:
        if not isinstance(br, dict):
            continue
        yield br
        yield from walk(br.get("fBranches"))


def reference_files(path):
    import glob
    import os
    here = os.path.dirname(os.path.abspath(path))
    for folder in (here, os.environ.get("GANTRY_SHARED_DATA", "") + "/root",
                   os.path.join(os.path.dirname(__file__), "../../../../shared/data/root"),
                   "/work/shared/data/root"):
        found = sorted(glob.glob(os.path.join(folder, "coffea_nano_*.root")))
        if found:
            return found[:1] + sorted(glob.glob(os.path.join(folder, "uproot-HZZ-zstd.root")))
    return []


def read_th1d(path, name):
    """A TH1D (TH1D 3, TH1 8, TAxis 10) decoded member by member, written out here."""
    f = RootFile(path, ())
    k = max((k for k in f.keys if k["name"] == name), key=lambda k: k["cycle"])
    b = f.object(k)
    b.version()  # TH1D
    v, th1_end = b.version()
    assert v == 8, v
    b.version()
    f.tobject(b)
    title = (b.tstring(), b.tstring())[1]
    for _ in range(3):  # TAttLine, TAttFill, TAttMarker
        _, e = b.version()
        b.p = e
    ncells = b.take("i")
    _, axis_end = b.version()
    _, e = b.version()
    f.tobject(b)
    b.tstring()
    xtitle = b.tstring()
    b.p = e
    _, e = b.version()  # TAttAxis
    b.p = e
    nbins, low, high = b.take("idd")
    b.p = axis_end
    for _ in range(2):
        _, e = b.version()
        b.p = e
    b.take("hh")
    entries = b.take("d")
    b.take("ddddddd")
    b.raw(8 * b.take("i"))  # fContour
    n = b.take("i")
    sumw2 = list(struct.unpack(">%dd" % n, b.raw(8 * n)))
    b.p = th1_end
    n = b.take("i")
    sumw = list(struct.unpack(">%dd" % n, b.raw(8 * n)))
    assert n == ncells == nbins + 2
    return {"name": name, "title": title, "bins": nbins, "low": low, "high": high,
            "entries": entries, "sumw": sumw, "sumw2": sumw2, "x_title": xtitle}


def scan(path, tree_name):
    f = RootFile(path, reference_files(path))
    keys = [k for k in f.keys if k["name"] == tree_name]
    k = max(keys, key=lambda k: k["cycle"])
    tree = f.read_class(f.object(k), k["cls"])
    out = {}
    for br in walk(tree["fBranches"]):
        leaves = [l for l in br["fLeaves"] if isinstance(l, dict)]
        if br["_class"] != "TBranch" or len(leaves) != 1 or leaves[0]["_class"] not in LEAF_CODES:
            continue
        leaf = leaves[0]
        code = LEAF_CODES[leaf["_class"]]
        if leaf.get("fIsUnsigned") and code != "?":
            code = code.upper()
        chunks = []
        for i in range(br["fWriteBasket"]):
            seek, nb = br["fBasketSeek"][i], br["fBasketBytes"][i]
            if seek == 0:
                continue
            kk = f.key(seek)
            raw = decompress(f.d[seek + kk["keylen"]:seek + kk["nbytes"]], kk["objlen"])
            last = struct.unpack_from(">i", f.d, kk["end"] + 2 + 4 + 4 + 4)[0]
            chunks.append((br["fBasketEntry"][i], raw[:last - kk["keylen"]]))
        for slot, bk in enumerate(br["fBaskets"]):
            if isinstance(bk, dict) and bk.get("data") is not None:
                chunks.append((br["fBasketEntry"][slot], bk["data"]))
        chunks.sort(key=lambda c: c[0])
        total, count = 0.0, 0
        for _, data in chunks:
            values = array.array(code if code != "?" else "B")
            values.frombytes(data)
            if sys.byteorder == "little":
                values.byteswap()
            count += len(values)
            for x in values:
                total += float(x)
        out[br["fName"]] = {"count": count, "sum": total}
    return {"entries": tree["fEntries"], "branches": out}


def conformance(folder, cases):
    """Lines of conformance.txt: FILE TREE entries N, then FILE TREE BRANCH COUNT SUM."""
    import math
    import os
    lines = ["# Expected scan results for ../shared/data/root/ (the repository's sibling",
             "# shared/data/root), written by decode_root.py (independent of src/root):",
             "#   /usr/bin/python3 src/root/testdata/decode_root.py --conformance DIR > conformance.txt",
             "# FILE TREE entries N | FILE TREE BRANCH COUNT SUM (repr of a double; nan allowed)"]
    for name, tree in cases:
        r = scan(os.path.join(folder, name), tree)
        lines.append("%s %s entries %d" % (name, tree, r["entries"]))
        for b, v in r["branches"].items():
            total = "nan" if math.isnan(v["sum"]) else repr(v["sum"])
            lines.append("%s %s %s %d %s" % (name, tree, b, v["count"], total))
    return "\n".join(lines) + "\n"


CASES = [("uproot-HZZ-%s.root" % c, "events")
         for c in ("uncompressed", "zlib", "lzma", "lz4", "zstd")] + [
    ("agc_open-data-example.root", "Events"),
    ("nanoAOD_2015_CMS_Open_Data_ttbar.root", "Events"),
    ("coffea_nano_dimuon.root", "Events"), ("coffea_nano_dimuon.root", "Runs"),
    ("coffea_nano_dy.root", "Events"), ("coffea_nano_dy.root", "Runs"),
    ("coffea_nano_tree.root", "Events"), ("coffea_nano_tree.root", "Runs")]

if __name__ == "__main__":
    if sys.argv[1] == "--conformance":
        sys.stdout.write(conformance(sys.argv[2], CASES))
    elif sys.argv[1] == "--th1d":
        print(json.dumps(read_th1d(sys.argv[2], sys.argv[3])))
    else:
        print(json.dumps(scan(sys.argv[1], sys.argv[2])))

#!/usr/bin/env python3
"""Regenerate replica/municipality_table.cpp, the replica's own dataset definition.

Codes, names, regions and zip codes come from PostNord's list
(tools/reference/dk-postals.csv); populations, villa
shares and price levels below are rounded public figures. The replica deliberately does not
read municipalities.yaml: it must not share the client's view of the data.
Usage: replica/tools/generate_municipality_table.py [CSV] > replica/municipality_table.cpp
"""
import csv
import hashlib
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.join(HERE, "..", "..", "tools", "reference", "dk-postals.csv")

# The API's names are the official ones without " Kommune", genitive and all ("Nordfyns",
# "Vesthimmerlands": 7,103 and 9,177 villas there, DESIGN.md), except København's.
GENITIVE = {"Københavns": "København"}

# Villa counts seen in the real API, overriding the estimate from FACTS.
KNOWN_VILLAS = {480: 7103, 820: 9177}  # Nordfyns, Vesthimmerlands

COPENHAGEN_AREA = [
    "Albertslund", "Allerød", "Ballerup", "Brøndby", "Dragør", "Egedal", "Fredensborg",
    "Frederiksberg", "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Greve",
    "Gribskov", "Halsnæs", "Helsingør", "Herlev", "Hillerød", "Holbæk", "Hvidovre",
    "Høje-Taastrup", "Hørsholm", "Ishøj", "København", "Køge", "Lejre", "Lyngby-Taarbæk",
    "Ringsted", "Roskilde", "Rudersdal", "Rødovre", "Solrød", "Stevns", "Tårnby", "Vallensbæk",
]
KOBENHAVN_VILLAS = 14368
COPENHAGEN_AREA_VILLAS = 228000

# Landsdele (the API's "province"): code, name, slug, price level in DKK per m² for villas.
PROVINCES = {
    "DK011": ("Byen København", "byen-koebenhavn", 52000),
    "DK012": ("Københavns omegn", "koebenhavns-omegn", 38000),
    "DK013": ("Nordsjælland", "nordsjaelland", 33000),
    "DK014": ("Bornholm", "bornholm", 12000),
    "DK021": ("Østsjælland", "oestsjaelland", 28000),
    "DK022": ("Vest- og Sydsjælland", "vest-og-sydsjaelland", 15000),
    "DK031": ("Fyn", "fyn", 16000),
    "DK032": ("Sydjylland", "sydjylland", 15000),
    "DK041": ("Vestjylland", "vestjylland", 13000),
    "DK042": ("Østjylland", "oestjylland", 22000),
    "DK050": ("Nordjylland", "nordjylland", 14000),
}

# code: (province, population, villas per inhabitant)
FACTS = {
    101: ("DK011", 653000, 0), 147: ("DK011", 104000, 0.03), 155: ("DK011", 14500, 0.30),
    185: ("DK011", 43500, 0.18),
    151: ("DK012", 52000, 0.17), 153: ("DK012", 35000, 0.12), 157: ("DK012", 75000, 0.16),
    159: ("DK012", 70000, 0.13), 161: ("DK012", 23500, 0.15), 163: ("DK012", 30000, 0.14),
    165: ("DK012", 28000, 0.12), 167: ("DK012", 54000, 0.17), 169: ("DK012", 58000, 0.17),
    173: ("DK012", 57000, 0.15), 175: ("DK012", 41000, 0.16), 183: ("DK012", 23500, 0.12),
    187: ("DK012", 17000, 0.20),
    190: ("DK013", 41500, 0.23), 201: ("DK013", 26000, 0.26), 210: ("DK013", 41500, 0.24),
    217: ("DK013", 63500, 0.22), 219: ("DK013", 52500, 0.21), 223: ("DK013", 25500, 0.24),
    230: ("DK013", 57000, 0.25), 240: ("DK013", 44500, 0.27), 250: ("DK013", 46000, 0.27),
    260: ("DK013", 31500, 0.28), 270: ("DK013", 41500, 0.30),
    400: ("DK014", 39000, 0.28),
    253: ("DK021", 51000, 0.24), 259: ("DK021", 61500, 0.23), 265: ("DK021", 90000, 0.19),
    269: ("DK021", 23500, 0.28), 350: ("DK021", 28500, 0.30),
    306: ("DK022", 33000, 0.30), 316: ("DK022", 72500, 0.26), 320: ("DK022", 37500, 0.30),
    326: ("DK022", 48500, 0.28), 329: ("DK022", 35500, 0.25), 330: ("DK022", 79500, 0.24),
    336: ("DK022", 23000, 0.31), 340: ("DK022", 30000, 0.28), 360: ("DK022", 40000, 0.31),
    370: ("DK022", 84000, 0.24), 376: ("DK022", 60000, 0.29), 390: ("DK022", 45500, 0.30),
    410: ("DK031", 39500, 0.28), 420: ("DK031", 41000, 0.30), 430: ("DK031", 51500, 0.29),
    440: ("DK031", 24000, 0.29), 450: ("DK031", 32000, 0.27), 461: ("DK031", 206000, 0.14),
    479: ("DK031", 59000, 0.25), 480: ("DK031", 29500, 0.31), 482: ("DK031", 12000, 0.33),
    492: ("DK031", 6000, 0.33),
    510: ("DK032", 55500, 0.28), 530: ("DK032", 27000, 0.29), 540: ("DK032", 74000, 0.27),
    550: ("DK032", 37000, 0.31), 561: ("DK032", 115000, 0.22), 563: ("DK032", 3500, 0.35),
    573: ("DK032", 50000, 0.30), 575: ("DK032", 43000, 0.30), 580: ("DK032", 58500, 0.28),
    607: ("DK032", 52000, 0.23), 621: ("DK032", 94000, 0.23), 630: ("DK032", 121000, 0.24),
    657: ("DK041", 90000, 0.25), 661: ("DK041", 59000, 0.26), 665: ("DK041", 19500, 0.31),
    671: ("DK041", 20500, 0.30), 756: ("DK041", 42000, 0.29), 760: ("DK041", 56000, 0.31),
    779: ("DK041", 45500, 0.29), 791: ("DK041", 97500, 0.26),
    615: ("DK042", 96000, 0.22), 706: ("DK042", 43500, 0.30), 707: ("DK042", 37000, 0.30),
    710: ("DK042", 49500, 0.29), 727: ("DK042", 23500, 0.28), 730: ("DK042", 99000, 0.23),
    740: ("DK042", 98000, 0.25), 741: ("DK042", 3700, 0.35), 746: ("DK042", 64000, 0.27),
    751: ("DK042", 367000, 0.10), 766: ("DK042", 47000, 0.29),
    773: ("DK050", 20000, 0.31), 787: ("DK050", 43000, 0.30), 810: ("DK050", 36500, 0.30),
    813: ("DK050", 58500, 0.28), 820: ("DK050", 36500, 0.31), 825: ("DK050", 1750, 0.40),
    840: ("DK050", 30500, 0.30), 846: ("DK050", 41500, 0.29), 849: ("DK050", 38500, 0.31),
    851: ("DK050", 222000, 0.15), 860: ("DK050", 64000, 0.29),
}

# København's villas sit in its outer districts, not in the inner-city street codes.
KOBENHAVN_ZIP_WEIGHTS = {
    "2000": 1, "2100": 2, "2200": 1, "2300": 24, "2400": 12, "2450": 9, "2500": 18,
    "2610": 2, "2700": 16, "2720": 14, "2770": 3, "2860": 3, "2900": 1,
}


def short_name(official):
    name = official.removesuffix(" Kommune")
    return GENITIVE.get(name, name)


def slugify(text):
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(a, b).replace(a.upper(), b)
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def zip_weight(code, zip_code):
    if code == 101:
        return KOBENHAVN_ZIP_WEIGHTS.get(zip_code, 0)
    return 2 + hashlib.sha256(f"{code}/{zip_code}".encode()).digest()[0] % 9


def cpp_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV
    munis = OrderedDict()
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code = int(row["KOMMUNE_NR"])
            if code == 411:  # Christiansø is not a municipality
                continue
            m = munis.setdefault(code, {"name": short_name(row["ADRESSERINGSNAVN_1"]),
                                        "region": int(row["AMTS_NR"]), "rows": []})
            m["rows"].append((row["POSTNR"], row["BYNAVN"]))
    if len(munis) != 98 or set(munis) != set(FACTS):
        sys.exit("the CSV's municipalities do not match FACTS")

    villas = {c: round(FACTS[c][1] * FACTS[c][2]) for c in munis}
    villas[101] = KOBENHAVN_VILLAS
    villas.update(KNOWN_VILLAS)
    area = [c for c, m in munis.items() if m["name"] in COPENHAGEN_AREA]
    if len(area) != 36:
        sys.exit("copenhagen area names not in the CSV")
    others = [c for c in area if c != 101]
    factor = (COPENHAGEN_AREA_VILLAS - KOBENHAVN_VILLAS) / sum(villas[c] for c in others)
    for c in others:
        villas[c] = round(villas[c] * factor)
    villas[others[-1]] += COPENHAGEN_AREA_VILLAS - sum(villas[c] for c in area)

    out = ["// Generated by replica/tools/generate_municipality_table.py from PostNord's postal",
           "// code list; edit the generator, not this file.",
           '#include "replica/municipality_table.hpp"', "", "namespace replica {", "namespace {", ""]
    for code, m in sorted(munis.items()):
        # Street-level codes (a district name shared by many zips, e.g. København K) and the
        # sub-1000 company codes hold no villas.
        names = [n for _, n in m["rows"]]
        districts = []
        for zip_code, city in m["rows"]:
            weight = zip_weight(code, zip_code)
            if int(zip_code) < 1000 or names.count(city) > 2 or weight == 0:
                continue
            if all(z != int(zip_code) for z, _, _ in districts):
                districts.append((int(zip_code), city, weight))
        if not districts:
            sys.exit(f"no residential zip code for {m['name']}")
        entries = ", ".join(f"{{{z}, {cpp_string(c)}, {w}}}" for z, c, w in districts)
        out.append(f"constexpr PostalDistrict k{code}[] = {{{entries}}};")
    out += ["", "constexpr MunicipalityDef kTable[] = {"]
    for code, m in sorted(munis.items()):
        prov, population, _ = FACTS[code]
        pname, pslug, price = PROVINCES[prov]
        if code in (147, 157, 230, 173, 223):  # the expensive northern suburbs
            price = round(price * 1.4)
        if code in (751, 851, 461):  # the big cities' villas cost more than their province's
            price = round(price * 1.5)
        out.append(f"    {{{code}, {cpp_string(m['name'])}, {cpp_string(slugify(m['name']))}, "
                   f"{m['region']}, {cpp_string(prov)}, {cpp_string(pname)}, {cpp_string(pslug)}, "
                   f"{population}, {villas[code]}, {price}, k{code}}},")
    out += ["};", "", "}  // namespace", "",
            "std::span<const MunicipalityDef> municipality_table() { return kTable; }", "",
            "}  // namespace replica", ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()

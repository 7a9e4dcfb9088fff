#!/usr/bin/env python3
"""Regenerate replica/municipality_table.cpp, the replica's own dataset definition.

Codes, names, regions and zip codes come from PostNord's list
(tools/reference/dk-postals.csv). The 36 municipalities of the copenhagen area take their
zip codes, villas and listed villas per zip from the measured market
(tools/reference/copenhagen-villas-2025-10-07.csv); elsewhere populations, villa shares and
price levels below are rounded public figures. The replica deliberately does not read
municipalities.yaml: it must not share the client's view of the data.
Usage: replica/tools/generate_municipality_table.py > replica/municipality_table.cpp
"""
import csv
import hashlib
import math
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "..", "tools", "reference")
POSTALS_CSV = os.path.join(REFERENCE, "dk-postals.csv")
VILLAS_CSV = os.path.join(REFERENCE, "copenhagen-villas-2025-10-07.csv")

# The API's names are the official ones without " Kommune", genitive and all ("Nordfyns",
# "Vesthimmerlands": 7,103 and 9,177 villas there, DESIGN.md), except København's.
GENITIVE = {"Københavns": "København"}

# Villa counts seen in the real API, overriding the estimate from FACTS (outside the area).
KNOWN_VILLAS = {480: 7103, 820: 9177}  # Nordfyns, Vesthimmerlands

COPENHAGEN_AREA = [
    "Albertslund", "Allerød", "Ballerup", "Brøndby", "Dragør", "Egedal", "Fredensborg",
    "Frederiksberg", "Frederikssund", "Furesø", "Gentofte", "Gladsaxe", "Glostrup", "Greve",
    "Gribskov", "Halsnæs", "Helsingør", "Herlev", "Hillerød", "Holbæk", "Hvidovre",
    "Høje-Taastrup", "Hørsholm", "Ishøj", "København", "Køge", "Lejre", "Lyngby-Taarbæk",
    "Ringsted", "Roskilde", "Rudersdal", "Rødovre", "Solrød", "Stevns", "Tårnby", "Vallensbæk",
]

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



def short_name(official):
    name = official.removesuffix(" Kommune")
    return GENITIVE.get(name, name)


def slugify(text):
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(a, b).replace(a.upper(), b)
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def zip_weight(code, zip_code):
    return 2 + hashlib.sha256(f"{code}/{zip_code}".encode()).digest()[0] % 9


def spread(total, weights):
    """`total` split in proportion to `weights` (largest remainder), so the parts add up."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [math.floor(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])[:total - sum(parts)]:
        parts[i] += 1
    return parts


def measured_area():
    """code -> [(zip, zip name, villas, listed)] of the copenhagen area, from the reference CSV."""
    area = OrderedDict()
    with open(VILLAS_CSV, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            area.setdefault(int(row["municipality_code"]), []).append(
                (int(row["zip_code"]), row["zip_name"], int(row["villas"]), int(row["listed"])))
    return area


def cpp_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    munis = OrderedDict()
    with open(POSTALS_CSV, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code = int(row["KOMMUNE_NR"])
            if code == 411:  # Christiansø is not a municipality
                continue
            m = munis.setdefault(code, {"name": short_name(row["ADRESSERINGSNAVN_1"]),
                                        "region": int(row["AMTS_NR"]), "rows": []})
            m["rows"].append((row["POSTNR"], row["BYNAVN"]))
    if len(munis) != 98 or set(munis) != set(FACTS):
        sys.exit("the CSV's municipalities do not match FACTS")
    measured = measured_area()
    if sorted(munis[c]["name"] for c in measured) != sorted(COPENHAGEN_AREA):
        sys.exit("the copenhagen area of the villas CSV is not COPENHAGEN_AREA")

    # Per municipality: [(zip, city, villas)] and the share of villas listed.
    districts, listed_share = {}, {}
    area_villas = sum(v for rows in measured.values() for _, _, v, _ in rows)
    area_listed = sum(n for rows in measured.values() for _, _, _, n in rows)
    for code, m in munis.items():
        if code in measured:
            districts[code] = [(z, name, v) for z, name, v, _ in measured[code] if v > 0]
            listed_share[code] = sum(n for *_, n in measured[code]) / sum(v for _, _, v, _ in measured[code])
            continue
        # Street-level codes (a district name shared by many zips, e.g. Aarhus C) and the
        # sub-1000 company codes hold no villas.
        names = [n for _, n in m["rows"]]
        rows = []
        for zip_code, city in m["rows"]:
            if int(zip_code) < 1000 or names.count(city) > 2 or any(z == int(zip_code) for z, _ in rows):
                continue
            rows.append((int(zip_code), city))
        if not rows:
            sys.exit(f"no residential zip code for {m['name']}")
        villas = KNOWN_VILLAS.get(code, round(FACTS[code][1] * FACTS[code][2]))
        parts = spread(villas, [zip_weight(code, str(z).zfill(4)) for z, _ in rows])
        districts[code] = [(z, city, v) for (z, city), v in zip(rows, parts)]
        listed_share[code] = area_listed / area_villas

    # Price levels in DKK per m², as standard scores over the area's listings: the replica draws
    # a listing's price per m² around the area's measured median, shifted by its municipality's.
    level = {}
    for code in munis:
        prov = FACTS[code][0]
        price = PROVINCES[prov][2]
        if code in (147, 157, 230, 173, 223):  # the expensive northern suburbs
            price = round(price * 1.4)
        if code in (751, 851, 461):  # the big cities' villas cost more than their province's
            price = round(price * 1.5)
        level[code] = math.log(price)
    weights = {c: sum(n for *_, n in measured[c]) for c in measured}
    mean = sum(level[c] * w for c, w in weights.items()) / sum(weights.values())
    sd = math.sqrt(sum((level[c] - mean) ** 2 * w for c, w in weights.items()) / sum(weights.values()))

    out = ["// Generated by replica/tools/generate_municipality_table.py from PostNord's postal",
           "// code list and the measured copenhagen area; edit the generator, not this file.",
           '#include "replica/municipality_table.hpp"', "", "namespace replica {", "namespace {", ""]
    for code in sorted(munis):
        entries = ", ".join(f"{{{z}, {cpp_string(c)}, {v}}}" for z, c, v in districts[code])
        out.append(f"constexpr PostalDistrict k{code}[] = {{{entries}}};")
    out += ["", "constexpr MunicipalityDef kTable[] = {"]
    for code, m in sorted(munis.items()):
        prov, population, _ = FACTS[code]
        pname, pslug, _ = PROVINCES[prov]
        villas = sum(v for *_, v in districts[code])
        out.append(f"    {{{code}, {cpp_string(m['name'])}, {cpp_string(slugify(m['name']))}, "
                   f"{m['region']}, {cpp_string(prov)}, {cpp_string(pname)}, {cpp_string(pslug)}, "
                   f"{population}, {villas}, {listed_share[code]:.6f}, {(level[code] - mean) / sd:.4f}, k{code}}},")
    out += ["};", "", "}  // namespace", "",
            "std::span<const MunicipalityDef> municipality_table() { return kTable; }", "",
            "}  // namespace replica", ""]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()

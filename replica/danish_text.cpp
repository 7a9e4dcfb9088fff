#include "replica/danish_text.hpp"

#include <array>

namespace replica {
namespace {

constexpr std::array<std::string_view, 40> kRoadStems = {
    "Birke", "Bøge", "Ege", "Aske", "Elme", "Kirke", "Mølle", "Skov", "Strand", "Sø", "Eng", "Mark",
    "Have", "Rose", "Lærke", "Syren", "Kastanje", "Linde", "Poppel", "Hassel", "Røn", "Gran",
    "Fyrre", "Tjørne", "Kløver", "Valmue", "Anemone", "Fasan", "Svane", "Ørne", "Måge", "Hjorte",
    "Æble", "Blomme", "Kirsebær", "Agerhøne", "Vibe", "Spurve", "Skrænt", "Bakke"};
constexpr std::array<std::string_view, 12> kRoadEndings = {
    "vej", "vej", "vej", "gade", "allé", "stien", "parken", "haven", "bakken", "vænget", "toften", "lunden"};
constexpr std::array<std::string_view, 6> kDirections = {"Søndre", "Nørre", "Vester", "Øster", "Gammel", "Ny"};
constexpr std::array<std::string_view, 7> kMainRoads = {"Allé", "Kongevej", "Landevej", "Skovvej",
                                                         "Strandvej", "Byvej", "Ringvej"};

constexpr std::array<std::string_view, 5> kWalls = {"Mursten", "Mursten", "Letbeton", "Træ", "Bindingsværk"};
constexpr std::array<std::string_view, 6> kRoofs = {"Tegl", "Fibercement herunder asbest", "Tagpap med lille hældning",
                                                    "Betontagsten", "Tagpap med stor hældning", "Stråtag"};
constexpr std::array<std::string_view, 4> kHeating = {"Fjernvarme/blokvarme", "Centralvarme med én fyringsenhed",
                                                      "Varmepumpe", "Elvarme"};
constexpr std::array<std::string_view, 3> kSupplementary = {"Brændeovn, pejs o.lign.", "Varmepumpe",
                                                            "Solvarme"};
constexpr std::array<std::string_view, 2> kKitchens = {"Eget køkken med afløb", "Eget køkken med afløb"};
constexpr std::array<std::string_view, 2> kBathrooms = {"Badeværelse i enheden", "Badeværelse i enheden"};
constexpr std::array<std::string_view, 2> kToilets = {"Vandskyllende toilet i enheden",
                                                      "Vandskyllende toilet i enheden"};
constexpr std::array<std::string_view, 5> kOutbuildings = {"Udhus", "Garage", "Carport", "Drivhus", "Anneks"};
constexpr std::array<std::string_view, 10> kEnergyLabels = {"a2020", "a2015", "a2010", "b", "c",
                                                            "c", "d", "d", "e", "f"};
constexpr std::array<Realtor, 8> kRealtors = {{
    {"EDC Poul Erik Bech", "EDC", "edc.dk"},
    {"home", "home", "home.dk"},
    {"Nybolig", "Nybolig", "nybolig.dk"},
    {"danbolig", "danbolig", "danbolig.dk"},
    {"RealMæglerne", "RealMæglerne", "realmaeglerne.dk"},
    {"Estate", "Estate", "estate.dk"},
    {"LokalBolig", "LokalBolig", "lokalbolig.dk"},
    {"Boligone", "Boligone", "boligone.dk"},
}};

constexpr std::array<std::string_view, 12> kSentences = {
    "Villaen er opført med sans for kvalitet og fremstår velholdt og lys med store vinduespartier mod haven. ",
    "Det store køkken/alrum er husets naturlige samlingspunkt med plads til både hverdag og fest. ",
    "Haven er velanlagt og solrig med terrasse, græsplæne og gamle frugttræer, der giver læ og ro. ",
    "Beliggenheden er rolig og børnevenlig, tæt på skole, institutioner, indkøb og offentlig transport. ",
    "Badeværelset er moderniseret med klinker, gulvvarme og brusenische, og der er et ekstra gæstetoilet. ",
    "I stueetagen finder du en rummelig stue med udgang til haven samt et lyst soveværelse. ",
    "På første sal er der yderligere tre gode værelser og et lille familierum under skråvæggene. ",
    "Kælderen rummer bryggers, vaskerum og flere disponible rum med gode anvendelsesmuligheder. ",
    "Der er carport med redskabsrum og god plads til både cykler, havemøbler og værktøj. ",
    "Området byder på natur, stisystemer og grønne fællesarealer lige uden for døren. ",
    "Huset er løbende vedligeholdt, og taget samt vinduerne er skiftet inden for de seneste år. ",
    "Kontakt os i dag for en personlig fremvisning – vi glæder os til at vise dig boligen! ",
};

}  // namespace

namespace vocabulary {
const std::span<const std::string_view> wall_materials = kWalls;
const std::span<const std::string_view> roof_materials = kRoofs;
const std::span<const std::string_view> heating = kHeating;
const std::span<const std::string_view> supplementary_heating = kSupplementary;
const std::span<const std::string_view> kitchen_conditions = kKitchens;
const std::span<const std::string_view> bathroom_conditions = kBathrooms;
const std::span<const std::string_view> toilet_conditions = kToilets;
const std::span<const std::string_view> outbuildings = kOutbuildings;
const std::span<const std::string_view> energy_labels = kEnergyLabels;
const std::span<const Realtor> realtors = kRealtors;
}  // namespace vocabulary

std::string road_name(std::uint64_t seed, int municipality_code, std::uint32_t road) {
  Draws d(hash_of(seed, municipality_code, road, Salt::road, 1));
  if (d.chance(0.15)) {
    return std::string(d.pick(std::span<const std::string_view>(kDirections))) + " " +
           std::string(d.pick(std::span<const std::string_view>(kMainRoads)));
  }
  return std::string(d.pick(std::span<const std::string_view>(kRoadStems))) +
         std::string(d.pick(std::span<const std::string_view>(kRoadEndings)));
}

std::string slugify(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  bool dash = false;
  const auto put = [&](std::string_view s) {
    if (dash && !out.empty()) out.push_back('-');
    dash = false;
    out += s;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xc3 && i + 1 < text.size()) {  // the Latin-1 letters Danish uses
      const auto n = static_cast<unsigned char>(text[++i]);
      switch (n) {
        case 0xa6: case 0x86: put("ae"); break;  // æ Æ
        case 0xb8: case 0x98: put("oe"); break;  // ø Ø
        case 0xa5: case 0x85: put("aa"); break;  // å Å
        case 0xa9: case 0x89: put("e"); break;   // é É
        case 0xbc: case 0x9c: put("u"); break;   // ü Ü
        default: dash = true;
      }
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      put(std::string_view(&text[i], 1));
    } else if (c >= 'A' && c <= 'Z') {
      const char lower = static_cast<char>(c - 'A' + 'a');
      put(std::string_view(&lower, 1));
    } else {
      dash = true;
    }
  }
  return out;
}

std::string sales_title(Draws& d, std::string_view city) {
  static constexpr std::array<std::string_view, 4> kOpenings = {
      "Charmerende villa i ", "Moderne familievilla i ", "Velholdt parcelhus i hjertet af ",
      "Rummelig villa med stor have i "};
  return std::string(d.pick(std::span<const std::string_view>(kOpenings))) + std::string(city);
}

std::string sales_text(Draws& d, std::string_view road, std::string_view city, int living_area,
                       std::size_t target_chars) {
  std::string text = "Velkommen til " + std::string(road) + " i " + std::string(city) + " – en villa på " +
                     std::to_string(living_area) + " m² med plads til hele familien. ";
  std::size_t next = static_cast<std::size_t>(d.range(0, kSentences.size() - 1));
  while (text.size() < target_chars) {
    text += kSentences[next % kSentences.size()];
    next += static_cast<std::size_t>(d.range(1, 3));
  }
  return text;
}

std::string realtor_text(Draws& d, const Realtor& realtor, std::string_view city) {
  return std::string(realtor.chain) + ", " + std::string(city) +
         " er en del af en landsdækkende mæglervirksomhed. Vi kender det lokale boligmarked og har " +
         std::to_string(d.range(8, 40)) + " års erfaring med salg af villaer, rækkehuse og fritidshuse i området.";
}

}  // namespace replica

/**
 * Realistic-looking names for the synthetic channel. Names are not unique (real ones are not
 * either: lists sort by (nameLower, id)); they start with every letter of the alphabet and a few
 * with a digit or a lower-case letter, so sorting and case-insensitive search behave as on
 * real data.
 */
import type { Rng } from "./random.js";

const LEADING = [
  "Aberdeen", "Acme", "Adler", "Aegis", "Alder", "Alpine", "Amber", "Anchor", "Apex", "Arbor", "Arcadia", "Argent", "Aspen", "Atlas", "Aurora", "Avalon",
  "Bayside", "Beacon", "Bellwether", "Birch", "Blackwood", "Blue Ridge", "Bluebird", "Bolt", "Boreal", "Brightwater", "Broadleaf", "Brookfield",
  "Cascade", "Cedar", "Centennial", "Chestnut", "Cirrus", "Clearwater", "Cobalt", "Compass", "Copper", "Coral", "Cornerstone", "Crescent", "Crown",
  "Delta", "Driftwood", "Dune", "Eagle", "Eastgate", "Echo", "Elm", "Ember", "Emerald", "Evergreen",
  "Fairfield", "Falcon", "Fern", "Firefly", "Fjord", "Foxglove", "Frontier", "Fulcrum",
  "Galaxy", "Garnet", "Glacier", "Golden", "Granite", "Greenfield", "Greystone", "Harbor", "Harvest", "Hawthorn", "Heron", "Highland", "Horizon",
  "Indigo", "Iron", "Ironwood", "Ivory", "Jade", "Juniper", "Keystone", "Kingfisher", "Lakeside", "Lantern", "Larch", "Laurel", "Liberty", "Linden", "Lodestar",
  "Magnolia", "Maple", "Marble", "Meadow", "Meridian", "Midland", "Monarch", "Mosaic", "Nautilus", "Nimbus", "Northgate", "Northstar", "Nova",
  "Oak", "Oakridge", "Obsidian", "Olive", "Onyx", "Orchard", "Orion", "Osprey", "Pacific", "Palisade", "Pebble", "Pelican", "Pinnacle", "Pioneer", "Polaris", "Prairie",
  "Quail", "Quantum", "Quarry", "Radiant", "Rainier", "Raven", "Redwood", "Ridgeline", "Riverbend", "Rockwell", "Rosewood",
  "Saffron", "Sapphire", "Seaside", "Sequoia", "Sierra", "Silverline", "Skyline", "Southport", "Spruce", "Stonebridge", "Summit", "Sunrise", "Sycamore",
  "Tamarack", "Tidewater", "Timber", "Topaz", "Trident", "Tundra", "Twin Peaks", "Umber", "Union", "Upland", "Valley", "Vanguard", "Vertex", "Vista",
  "Walnut", "Westbrook", "Westgate", "Whitecap", "Willow", "Windward", "Yellowstone", "Yew", "Zenith", "Zephyr",
];

const MIDDLE = [
  "Analytics", "Bakery", "Brewing", "Builders", "Capital", "Care", "Clinic", "Consulting", "Dental", "Design", "Energy", "Engineering", "Farms", "Fitness",
  "Foods", "Freight", "Health", "Holdings", "Hospitality", "Imports", "Insurance", "Interiors", "Labs", "Legal", "Logistics", "Machining", "Marine",
  "Media", "Medical", "Metals", "Motors", "Outdoor", "Packaging", "Partners", "Pharma", "Plastics", "Printing", "Properties", "Publishing", "Realty",
  "Renewables", "Research", "Retail", "Robotics", "Software", "Studios", "Supply", "Systems", "Textiles", "Tools", "Trading", "Transport", "Travel",
  "Ventures", "Veterinary", "Wealth", "Wholesale", "Wines", "Works",
];

const SURNAMES = [
  "Abbott", "Bauer", "Becker", "Bennett", "Blanc", "Brown", "Carter", "Clarke", "Dubois", "Evans", "Fischer", "Fontaine", "Garcia", "Hartmann", "Hughes",
  "Jansen", "Johnson", "Keller", "Klein", "Laurent", "Lefebvre", "Martin", "Meyer", "Moreau", "Murphy", "Nilsson", "O'Brien", "Peters", "Richter", "Roux",
  "Schmidt", "Schneider", "Smit", "Taylor", "Thompson", "van Dijk", "de Vries", "Visser", "Wagner", "Walker", "Weber", "Williams", "Wilson", "Wright",
];

const FIRST_NAMES = [
  "Alex", "Anna", "Ben", "Carla", "Chen", "Claire", "Daniel", "Elena", "Emma", "Felix", "Hannah", "Isabel", "James", "Jonas", "Julia", "Kenji", "Lars",
  "Laura", "Lucas", "Maria", "Mohammed", "Nina", "Noah", "Olivia", "Pierre", "Priya", "Sam", "Sara", "Sofia", "Tom", "Yuki", "Zoe",
];

const DIGIT_LEADING = ["1st Choice", "24/7", "360", "3D", "4Front", "7 Seas"];
const LOWER_LEADING = ["eBridge", "iLink", "mySolutions", "nuvo", "e-Commerce Direct"];

export interface Country {
  code: string;
  weight: number;
  suffixes: string[];
  cities: { name: string; postalCode: string }[];
  streets: string[];
}

export const COUNTRIES: Country[] = [
  {
    code: "US",
    weight: 40,
    suffixes: ["Inc.", "LLC", "Corp.", "Co."],
    cities: [
      { name: "Seattle", postalCode: "98101" }, { name: "Austin", postalCode: "78701" }, { name: "Chicago", postalCode: "60601" },
      { name: "Denver", postalCode: "80202" }, { name: "Boston", postalCode: "02108" }, { name: "Atlanta", postalCode: "30303" },
    ],
    streets: ["Main Street", "Market Street", "Oak Avenue", "Pine Street", "Commerce Drive"],
  },
  {
    code: "DE",
    weight: 15,
    suffixes: ["GmbH", "AG", "GmbH & Co. KG"],
    cities: [
      { name: "Berlin", postalCode: "10115" }, { name: "Munich", postalCode: "80331" }, { name: "Hamburg", postalCode: "20095" },
      { name: "Cologne", postalCode: "50667" }, { name: "Frankfurt", postalCode: "60311" },
    ],
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Industriestraße"],
  },
  {
    code: "GB",
    weight: 15,
    suffixes: ["Ltd", "plc", "LLP"],
    cities: [
      { name: "London", postalCode: "EC1A 1BB" }, { name: "Manchester", postalCode: "M1 1AE" }, { name: "Leeds", postalCode: "LS1 4AP" },
      { name: "Bristol", postalCode: "BS1 4DJ" }, { name: "Edinburgh", postalCode: "EH1 1YZ" },
    ],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road"],
  },
  {
    code: "FR",
    weight: 10,
    suffixes: ["SAS", "SARL", "SA"],
    cities: [
      { name: "Paris", postalCode: "75001" }, { name: "Lyon", postalCode: "69001" }, { name: "Toulouse", postalCode: "31000" },
      { name: "Nantes", postalCode: "44000" }, { name: "Lille", postalCode: "59000" },
    ],
    streets: ["Rue de la République", "Avenue Victor Hugo", "Rue du Commerce", "Boulevard Pasteur"],
  },
  {
    code: "NL",
    weight: 8,
    suffixes: ["B.V.", "N.V."],
    cities: [
      { name: "Amsterdam", postalCode: "1012 AB" }, { name: "Rotterdam", postalCode: "3011 AD" }, { name: "Utrecht", postalCode: "3511 AA" },
      { name: "Eindhoven", postalCode: "5611 AZ" },
    ],
    streets: ["Kerkstraat", "Stationsweg", "Dorpsstraat", "Industrieweg"],
  },
  {
    code: "CA",
    weight: 5,
    suffixes: ["Inc.", "Ltd.", "Corp."],
    cities: [{ name: "Toronto", postalCode: "M5H 2N2" }, { name: "Vancouver", postalCode: "V6B 1A1" }, { name: "Montreal", postalCode: "H2Y 1C6" }],
    streets: ["King Street", "Queen Street", "Yonge Street"],
  },
  {
    code: "AU",
    weight: 4,
    suffixes: ["Pty Ltd"],
    cities: [{ name: "Sydney", postalCode: "2000" }, { name: "Melbourne", postalCode: "3000" }, { name: "Brisbane", postalCode: "4000" }],
    streets: ["George Street", "Collins Street", "Queen Street"],
  },
  {
    code: "SE",
    weight: 3,
    suffixes: ["AB"],
    cities: [{ name: "Stockholm", postalCode: "111 20" }, { name: "Gothenburg", postalCode: "411 03" }, { name: "Malmö", postalCode: "211 20" }],
    streets: ["Storgatan", "Drottninggatan", "Kungsgatan"],
  },
];

const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);

export function pickCountry(rng: Rng): Country {
  return COUNTRIES[rng.weighted(COUNTRY_WEIGHTS)];
}

export function customerName(rng: Rng, country: Country): string {
  const suffix = rng.pick(country.suffixes);
  const style = rng.next();
  if (style < 0.5) return `${rng.pick(LEADING)} ${rng.pick(MIDDLE)} ${suffix}`;
  if (style < 0.7) return `${rng.pick(LEADING)} ${rng.pick(LEADING)} ${suffix}`;
  if (style < 0.85) return `${rng.pick(SURNAMES)} ${rng.pick(MIDDLE)} ${suffix}`;
  if (style < 0.95) return `${rng.pick(SURNAMES)} & ${rng.pick(SURNAMES)} ${suffix}`;
  if (style < 0.975) return `${rng.pick(DIGIT_LEADING)} ${rng.pick(MIDDLE)} ${suffix}`;
  return `${rng.pick(LOWER_LEADING)} ${rng.pick(MIDDLE)} ${suffix}`;
}

const RESELLER_WORDS = ["IT", "Cloud Solutions", "Systems", "Technology Group", "Managed Services", "Networks", "Digital", "IT Services", "Computing"];
const PROVIDER_WORDS = ["Distribution", "Supply", "Cloud Distribution", "Technology Distribution", "Channel Services"];

export function partnerName(rng: Rng, kind: "PROVIDER" | "RESELLER", country: Country): string {
  const words = kind === "PROVIDER" ? PROVIDER_WORDS : RESELLER_WORDS;
  const head = rng.chance(0.8) ? rng.pick(LEADING) : rng.pick(SURNAMES);
  return `${head} ${rng.pick(words)} ${rng.pick(country.suffixes)}`;
}

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
}

export function address(rng: Rng, country: Country): { line1: string; city: string; postalCode: string } {
  const city = rng.pick(country.cities);
  const street = rng.pick(country.streets);
  const number = rng.int(1, 250);
  const line1 = ["DE", "NL", "SE"].includes(country.code) ? `${street} ${number}` : `${number} ${street}`;
  return { line1, city: city.name, postalCode: city.postalCode };
}

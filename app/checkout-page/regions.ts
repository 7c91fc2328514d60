// The states and provinces the address form offers where tax and shipping depend on them (the
// codes the cart's tax rules use: ISO 3166-2 without the country prefix).
const US =
  "AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming|PR Puerto Rico";
const CA =
  "AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|YT Yukon";

const REGIONS: Record<string, { code: string; name: string }[]> = Object.fromEntries(
  Object.entries({ US, CA }).map(([country, list]) => [country, list.split("|").map((entry) => ({ code: entry.slice(0, 2), name: entry.slice(3) }))]),
);

/** The regions of each country that has them on the form. */
export function provincesOf(countries: string[]): Record<string, { code: string; name: string }[]> {
  return Object.fromEntries(countries.filter((c) => REGIONS[c]).map((c) => [c, REGIONS[c]]));
}

/** A region's name ("Ontario" for CA-ON), or the code when it is not on the list. */
export const regionName = (country: string, code: string) => REGIONS[country]?.find((r) => r.code === code)?.name ?? code;

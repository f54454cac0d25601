/** The guides the knowledge base is compiled from, with the names the bot cites them by. */
export const GUIDES: Readonly<Record<string, string>> = {
  "000_8f8ba321c6300322.txt": "Wardley map analysis of integrating MLOps into AI workflows",
  "001_527294bab875f305.txt": "MLOps maturity assessment case study and guide",
  "002_9374905fa16d7cca.txt": "Technology & Operations dimension maturity guide",
  "003_e7abb61b6f35453a.txt": "MLOps maturity model research",
  "004_e637892df07c542c.txt": "Enterprise MLOps implementation guide",
  several: "several guides compared",
};

export function guideName(source: string): string {
  return GUIDES[source] ?? source;
}

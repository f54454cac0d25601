/** The playground's made-up workspace: a few users, named by their role, and two team channels. */
export const PLAYGROUND_TENANT = "playground";

export const DEMO_USERS = [
  { id: "U-scientist", name: "Scientist (data scientist)" },
  { id: "U-engineer", name: "Engineer (ML engineer)" },
  { id: "U-lead", name: "Lead (platform lead)" },
  { id: "U-analyst", name: "Analyst (data analyst)" },
  { id: "U-sre", name: "SRE (site reliability engineer)" },
] as const;

export const DEMO_CHANNELS = [
  { id: "C-ml-platform", name: "ml-platform", members: ["U-scientist", "U-engineer"] },
  { id: "C-data-science", name: "data-science", members: ["U-scientist", "U-lead", "U-analyst", "U-sre"] },
] as const;

export function userName(id: string): string {
  return DEMO_USERS.find((u) => u.id === id)?.name.replace(/ \(.*\)$/, "") ?? id;
}

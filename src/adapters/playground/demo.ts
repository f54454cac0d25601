/** The playground's made-up workspace: a few users and two team channels. */
export const PLAYGROUND_TENANT = "playground";

export const DEMO_USERS = [
  { id: "U-alex", name: "Alex (data scientist)" },
  { id: "U-sam", name: "Sam (ML engineer)" },
  { id: "U-kim", name: "Kim (platform lead)" },
  { id: "U-jo", name: "Jo (analyst)" },
  { id: "U-ray", name: "Ray (SRE)" },
] as const;

export const DEMO_CHANNELS = [
  { id: "C-ml-platform", name: "ml-platform", members: ["U-alex", "U-sam"] },
  { id: "C-data-science", name: "data-science", members: ["U-alex", "U-kim", "U-jo", "U-ray"] },
] as const;

export function userName(id: string): string {
  return DEMO_USERS.find((u) => u.id === id)?.name.replace(/ \(.*\)$/, "") ?? id;
}

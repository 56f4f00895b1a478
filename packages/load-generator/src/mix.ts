/** Which journey starts next: drawn by the mix's weights (relative, need not sum to 100). */
import { journeyNames, type JourneyName, type LoadSettings } from "@microshop/lab";

export function pickJourney(mix: LoadSettings["mix"], random: () => number): JourneyName {
  const weighted = journeyNames.filter((name) => mix[name] > 0);
  const total = weighted.reduce((sum, name) => sum + mix[name], 0);
  let draw = random() * total;
  for (const name of weighted) {
    draw -= mix[name];
    if (draw < 0) return name;
  }
  // random() just below 1 with rounding: the last journey with a weight (the schema promises one).
  return weighted.at(-1) ?? journeyNames[0];
}

import { Testing } from "cdktf";
import { OriginSecret } from "../../modules/cdn/origin-secret";
import { parseSynth, resourcesOf } from "../support/fixtures";

const synth = (rotation?: number) => {
  let secret: OriginSecret | undefined;
  const json = parseSynth(Testing.synthScope((s) => void (secret = new OriginSecret(s, "origin-secret", { rotation }))));
  return { json, secret: secret! };
};
const generations = (rotation: number) =>
  Object.entries(resourcesOf(synth(rotation).json, "terraform_data"))
    .filter(([n]) => n.includes("generation"))
    .map(([, d]) => d.input.generation);

describe("OriginSecret", () => {
  test("two slots of Terraform-generated randomness, sensitive, kept across plans by ignore_changes, replaced by their generation; no value in the JSON", () => {
    const { json } = synth();
    const all = resourcesOf(json, "terraform_data");
    const slots = Object.entries(all).filter(([n]) => n.includes("_slot-"));
    expect(slots).toHaveLength(2);
    slots.forEach(([, s], i) => {
      expect(s.triggers_replace).toEqual({ value: '${sensitive(replace(join("", [uuid(), uuid()]), "-", ""))}' });
      expect(s.input).toBeUndefined(); // terraform_data echoes input into an unmarked output
      const [generation] = Object.keys(all).filter((n) => n.includes(`generation-${i}`));
      expect(s.lifecycle).toEqual({ ignore_changes: ["triggers_replace"], replace_triggered_by: [`terraform_data.${generation}`] });
    });
  });

  test("a rotation regenerates only the standby slot, which becomes the one CloudFront sends; the listener accepts both", () => {
    // Slot k keeps the generation of the last rotation that made it current.
    expect(generations(0)).toEqual([0, -1]);
    expect(generations(1)).toEqual([0, 1]); // slot 1 regenerated, slot 0 (still sent until CloudFront updates) kept
    expect(generations(2)).toEqual([2, 1]);
    expect(generations(3)).toEqual([2, 3]);
    const names = (r: number) => Object.keys(resourcesOf(synth(r).json, "terraform_data"));
    const { secret: s0 } = synth(0);
    const { secret: s1 } = synth(1);
    expect(s0.currentValue).toBe(s0.acceptedValues[0]);
    expect(s1.currentValue).toBe(s1.acceptedValues[1]);
    expect(s0.acceptedValues).toHaveLength(2);
    expect(names(0)).toEqual(names(5));
    expect(s0.headerName).toBe("X-Origin-Verify");
  });

  test("refuses a negative rotation and a bad header name", () => {
    expect(() => synth(-1)).toThrow(/rotation must be a whole number from 0/);
    expect(() => Testing.synthScope((s) => void new OriginSecret(s, "o", { headerName: "X Origin" }))).toThrow(/headerName must be 1-40 letters/);
  });
});

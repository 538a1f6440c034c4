import { block, fail, pass } from "../helpers";
import type { Rule } from "../types";

export const rule: Rule = {
  id: "acm-dns-validation",
  category: "tls",
  level: "error",
  description: "ACM certificates validate through DNS (so they renew by themselves) and are replaced create-before-destroy (so a listener never loses its certificate).",
  appliesTo: ["aws_acm_certificate"],
  check(resource) {
    const c = resource.config;
    if (c.private_key !== undefined || c.certificate_authority_arn !== undefined) return fail("imported or private certificate: this app uses public, DNS-validated ones");
    if (c.validation_method !== "DNS") return fail(`validation_method is ${c.validation_method ?? "unset"}: e-mail validation does not renew by itself`);
    if (block(c.lifecycle)?.create_before_destroy !== true) return fail("no lifecycle.create_before_destroy: a replacement would first delete the certificate in use");
    return pass(`DNS-validated, create-before-destroy, ${c.key_algorithm ?? "RSA_2048"}`);
  },
};

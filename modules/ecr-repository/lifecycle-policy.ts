/** One rule of an ECR lifecycle policy (the JSON ECR reads). */
export interface EcrLifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "tagged" | "untagged" | "any";
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countUnit?: "days";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

/**
 * Expires untagged images (layers of failed or superseded pushes) after
 * `untaggedDays`, then keeps the newest `keep` images of any tag. ECR evaluates
 * rules by priority and requires a `tagStatus: any` rule to come last.
 */
export function ecrLifecycleRules(keep: number, untaggedDays: number): EcrLifecycleRule[] {
  return [
    {
      rulePriority: 1,
      description: `Expire untagged images after ${untaggedDays} days`,
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: `Keep the newest ${keep} images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
      action: { type: "expire" },
    },
  ];
}

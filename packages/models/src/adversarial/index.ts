// The adversarial toolkit: attacks, baselines, poisoning, defences and evaluation.
export type { AttackBaseOptions, AttackResult, Labels, LogitsFn, Norm, ProbabilityFn } from './types.js';
export {
  logitsOf,
  predictClasses,
  softmaxOf,
  toLogitsFn,
  toProbabilityFn,
  type BlackBoxModel,
  type WhiteBoxModel,
} from './model.js';
export type { AttackLoss } from './objective.js';
export { fgsm, fgsmAttack, type FgsmOptions } from './fgsm.js';
export { bim, bimAttack, type BimOptions } from './bim.js';
export { pgd, pgdAttack, type PgdOptions } from './pgd.js';
export { miFgsm, miFgsmAttack, type MiFgsmOptions } from './mi-fgsm.js';
export { carliniWagnerL2, cwL2Attack, type CwL2Options } from './cw-l2.js';
export { deepFool, deepFoolAttack, type DeepFoolOptions } from './deepfool.js';
export { jsma, jsmaAttack, type JsmaOptions } from './jsma.js';
export { QueryCounter } from './queries.js';
export { simba, simbaAttack, type SimbaOptions } from './simba.js';
export { squareAttack, squareEntry, type SquareOptions } from './square.js';
export { hopSkipJump, hopSkipJumpAttack, type HopSkipJumpOptions } from './hop-skip-jump.js';
export { transferAttack, type CraftFn, type TransferResult } from './transfer.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { KNearestNeighbours, type KnnOptions } from './knn.js';
export { flipLabels, type LabelFlipOptions, type LabelFlipResult } from './label-flip.js';
export {
  plantBackdoor,
  stampTrigger,
  triggerPattern,
  type BackdoorOptions,
  type BackdoorTrigger,
  type PoisonedSet,
  type TriggerPattern,
} from './backdoor.js';
export { backdoorReport, labelFlipReport, type PoisoningReport } from './poisoning-report.js';
export { perturbationNorms, summarize, type PerturbationNorms, type Summary } from './perturbation.js';
export {
  evaluateRobustness,
  type AttackSpec,
  type RobustnessOptions,
  type RobustnessReport,
  type RobustnessRow,
} from './evaluate.js';
export { formatRobustnessReport } from './report-format.js';
export {
  adversarialBatch,
  adversarialDataset,
  linearRamp,
  type AdversarialTrainingConfig,
  type BatchSource,
  type TrainingBatch,
} from './adversarial-training.js';
export {
  ATTACK_NORMS,
  ATTACK_PARAMS,
  type AttackEntry,
  type AttackModels,
  type AttackParamName,
  type AttackParams,
  type RunParams,
} from './attack-entry.js';
export {
  ATTACK_NAMES,
  ATTACKS,
  attackEntry,
  attackParams,
  runAttack,
  type AttackOracleTarget,
  type AttackTarget,
} from './registry.js';
export { attackSuite, SUITE_ATTACKS, type AttackSuiteOptions, type SuiteAttack } from './attack-suite.js';
export {
  buildRobustCnn,
  trainMnistCnnRobust,
  type MnistCnnRobustMetrics,
  type MnistCnnRobustOptions,
  type RobustArchitecture,
} from './mnist-cnn-robust.js';
export { plantBackdoorInImageSet, type PoisonedImageSet } from './backdoor-images.js';
export {
  backdoorExperiment,
  type BackdoorExperimentOptions,
  type BackdoorExperimentResult,
} from './backdoor-experiment.js';

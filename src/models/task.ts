/**
 * What a model predicts, recorded in its model file: 'expression' (one class
 * per face: softmax over the classes) or 'au' (FACS action units, multi-label:
 * one independent sigmoid per AU). The AU output names live here, so training,
 * the model file, eval and the report spell them the same way.
 */
export const TASKS = ['expression', 'au'] as const;
export type Task = (typeof TASKS)[number];

/** The task of a model file whose metadata names none (every model file from before AUs). */
export const DEFAULT_TASK: Task = 'expression';

/** The output name of an action unit: 'AU12'. */
export function actionUnitName(au: number): string {
  return `AU${au}`;
}

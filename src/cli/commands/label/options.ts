/** Flags that `semifer label suggest`, `serve` and `status` share: one declaration each. */
import { option } from '../../options/spec.js';

/** The face folder the loop works on (`semifer data faces --out DIR`). */
export const UNLABELLED_OPTION = option({ name: 'unlabelled', type: 'path', required: true, placeholder: 'DIR', description: 'Face folder (semifer data faces --out DIR)' });

/** Where the answers are kept; the default lives in src/label (DIR/labels.csv). */
export const LABELS_FILE_OPTION = option({ name: 'labels-file', type: 'path', placeholder: 'FILE', description: 'The labels file (default DIR/labels.csv)' });

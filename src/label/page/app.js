// The labelling page: one face large (or all of them in a grid), a key for
// every class and for skip / not a face / unsure, undo. Every answer is sent to
// the server, which writes the labels file before it replies; the page only
// moves on when the reply says the answer is on disk.
const NON_CLASS_KEYS = { skip: 's', 'not-a-face': 'n', unsure: 'u' };
const RESERVED = new Set(['s', 'n', 'u', 'z', 'g']);

const $ = (id) => document.getElementById(id);
let state; // { classes, faces, answers, nonClass, order, labelsFile }
let current = 0;
// Answers and undos run one after another in key order: a key pressed while the
// previous answer is being saved waits for it instead of being lost.
let queue = Promise.resolve();
const serially = (fn) => () => (queue = queue.then(fn));

/** Keys for the classes: 1…9, 0, then letters not used by the other commands. */
function classKeys(classes) {
  const keys = [];
  const pool = [...'1234567890', ...'abcdefhijklmopqrtvwxy'].filter((k) => !RESERVED.has(k));
  classes.forEach((_, i) => keys.push(pool[i]));
  return keys;
}

function answerOf(image) {
  return state.answers.find((a) => a.image === image)?.label;
}

function nextUnanswered(from) {
  for (let k = 0; k < state.faces.length; k++) {
    const i = (from + k) % state.faces.length;
    if (answerOf(state.faces[i].image) === undefined) return i;
  }
  return -1;
}

function render() {
  const total = state.faces.length;
  const done = state.faces.filter((f) => answerOf(f.image) !== undefined).length;
  $('progress').textContent = `${done} of ${total} answered` + (done === total ? ' — all done' : '');
  $('progress').dataset.done = String(done);
  document.body.dataset.current = String(current);
  document.body.dataset.image = state.faces[current]?.image ?? '';
  const face = state.faces[current];
  if (face) {
    $('face').src = `/face/${current}`;
    $('position').textContent = `face ${current + 1} of ${total}`;
    $('guess').textContent = face.guess ? `model: ${face.guess} ${(Math.max(...face.probabilities) * 100).toFixed(0)}%` : '';
    const a = answerOf(face.image);
    $('current-answer').textContent = a ? `answered: ${a}` : '';
  }
  for (const b of $('keys').querySelectorAll('button')) b.classList.toggle('guess', face?.guess === b.dataset.label);
  if (!$('grid').hidden) renderGrid();
}

function renderGrid() {
  const grid = $('grid');
  if (grid.childElementCount !== state.faces.length) {
    grid.replaceChildren(...state.faces.map((f, i) => {
      const fig = document.createElement('figure');
      const img = document.createElement('img');
      img.loading = 'lazy';
      img.src = `/face/${i}`;
      img.alt = `face ${i + 1}`;
      const cap = document.createElement('figcaption');
      fig.append(img, cap);
      fig.addEventListener('click', () => {
        current = i;
        toggleView(false);
      });
      return fig;
    }));
  }
  [...grid.children].forEach((fig, i) => {
    const a = answerOf(state.faces[i].image);
    fig.classList.toggle('answered', a !== undefined);
    fig.classList.toggle('current', i === current);
    fig.lastChild.textContent = a ?? (state.faces[i].guess ? `model: ${state.faces[i].guess}` : '');
  });
}

function toggleView(grid = $('grid').hidden) {
  $('grid').hidden = !grid;
  $('single').hidden = grid;
  $('view-toggle').textContent = grid ? 'one at a time (g)' : 'grid (g)';
  render();
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const doc = await res.json();
  if (!res.ok) throw new Error(doc.error ?? res.statusText);
  return doc;
}

const answer = (label) => serially(async () => {
  if (!state.faces[current]) return;
  try {
    const { answers } = await post('/api/answer', { index: current, label });
    state.answers = answers;
    $('status').textContent = '';
    const next = nextUnanswered(current + 1);
    if (next >= 0) current = next;
    render();
  } catch (err) {
    $('status').textContent = `not saved: ${err.message}`;
  }
})();

const undo = serially(async () => {
  try {
    const { undone, answers } = await post('/api/undo', {});
    state.answers = answers;
    if (undone) {
      const i = state.faces.findIndex((f) => f.image === undone.image);
      if (i >= 0) current = i;
      $('status').textContent = `undone: ${undone.label}`;
    } else $('status').textContent = 'nothing to undo';
    render();
  } catch (err) {
    $('status').textContent = `undo failed: ${err.message}`;
  }
});

function buildKeys() {
  const keys = classKeys(state.classes);
  const bindings = new Map();
  const buttons = [];
  state.classes.forEach((c, i) => {
    bindings.set(keys[i], c);
    buttons.push(button(keys[i], c, c, ''));
  });
  for (const n of state.nonClass) {
    bindings.set(NON_CLASS_KEYS[n], n);
    buttons.push(button(NON_CLASS_KEYS[n], n, n.replace(/-/g, ' '), 'other'));
  }
  $('keys').replaceChildren(...buttons);
  return bindings;
}

function button(key, label, text, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.label = label;
  if (cls) b.className = cls;
  const k = document.createElement('kbd');
  k.textContent = key;
  b.append(k, document.createTextNode(text));
  b.addEventListener('click', () => answer(label));
  return b;
}

async function main() {
  state = await (await fetch('/api/state')).json();
  $('order').textContent = `order: ${state.order} · labels file: ${state.labelsFile}`;
  const bindings = buildKeys();
  current = Math.max(0, nextUnanswered(0));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (bindings.has(k)) answer(bindings.get(k));
    else if (k === 'z' || k === 'backspace') undo();
    else if (k === 'g') toggleView();
    else if (k === 'arrowright') current = Math.min(state.faces.length - 1, current + 1);
    else if (k === 'arrowleft') current = Math.max(0, current - 1);
    else return;
    e.preventDefault();
    render();
  });
  $('undo').addEventListener('click', undo);
  $('view-toggle').addEventListener('click', () => toggleView());
  render();
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  $('status').textContent = `cannot load: ${err.message}`;
});

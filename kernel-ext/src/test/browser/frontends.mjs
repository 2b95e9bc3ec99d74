// What a user sees of the seqlab kernel in JupyterLab 4 and Notebook 7, driven headless in Debian's
// Chromium by playwright-core. run.sh starts the server (SEQLAB_LAB_URL, SEQLAB_LAB_TOKEN) with the
// notebooks named on the command line in its root folder (and the first one again in notebook7/).
//
// JupyterLab, first notebook: the Launcher shows the kernel's logo; Run All (Run menu) runs every cell
// with no error output; each training cell shows one live chart that is redrawn in place while it
// trains; images, tables and audio players are rendered for the outputs that carry them; a new cell
// gets Java syntax highlighting, a Tab completion popup, and Contextual Help for a seqlab class; the
// toolbar's interrupt button ends a long training cell and the kernel runs the next cell; Run All
// stops at the first failing cell. Second notebook: run all, no errors, pictures. Notebook 7: the first
// notebook again, run all, no errors, pictures. Screenshots go to SEQLAB_BROWSER_OUT.
// Prints one PASS/FAIL line per check and timings; the last line is "N passed, N failed".
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';

const LAB_SERVER = { base: process.env.SEQLAB_LAB_URL, token: process.env.SEQLAB_LAB_TOKEN };
// Debian's classic Notebook 6 (opt-in: run.sh starts it with SEQLAB_BROWSER_CLASSIC=1), for comparison
const CLASSIC_SERVER = process.env.SEQLAB_CLASSIC_URL ? { base: process.env.SEQLAB_CLASSIC_URL, token: process.env.SEQLAB_CLASSIC_TOKEN } : null;
const BASE = LAB_SERVER.base;
const TOKEN = LAB_SERVER.token;
const OUT = process.env.SEQLAB_BROWSER_OUT || 'build/browser';
const KERNEL_DISPLAY_NAME = 'Java (seqlab)';
const notebooks = process.argv.slice(2);
// the notebook in view: JupyterLab keeps other tabs' notebooks in the page, hidden
const NOTEBOOK = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook';
mkdirSync(OUT, { recursive: true });

let passed = 0;
let failed = 0;
const timings = [];
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`);
  return ok;
}
const seconds = ms => (ms / 1000).toFixed(1) + ' s';
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function api(path, options = {}, server = LAB_SERVER) {
  const response = await fetch(`${server.base}${path}`, {
    ...options, headers: { Authorization: `token ${server.token}`, 'Content-Type': 'application/json', ...(options.headers || {}) },
  });
  if (!response.ok) throw new Error(`${options.method || 'GET'} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function shutDownKernels(server = LAB_SERVER) {
  for (const session of await api('/api/sessions', {}, server)) {
    await api(`/api/sessions/${session.id}`, { method: 'DELETE' }, server);
  }
}

// ---- the notebook page, in either frontend ------------------------------------------------------

/** The kernel status the notebook's toolbar shows (idle, busy, ...). */
async function executionStatus(page) {
  return page.evaluate(() => (document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator')
    || document.querySelector('.jp-Notebook-ExecutionIndicator'))?.getAttribute('data-status'));
}

/** Where each frontend puts a notebook's parts, and how it runs all cells. */
const LAB = {
  name: 'JupyterLab', server: LAB_SERVER,
  cells: `${NOTEBOOK} .jp-CodeCell`, source: '.cm-content', prompt: '.jp-InputPrompt',
  outputs: '.jp-OutputArea', outputChildren: ':scope > .jp-OutputArea-child',
  kernelName: '.jp-KernelName, .jp-NotebookKernelName, [data-jp-item-name="kernelName"]',
  status: executionStatus,
  runAll: page => clickMenu(page, 'Run', 'Run All Cells'),
};
const NOTEBOOK7 = { ...LAB, name: 'Notebook 7' };
const CLASSIC = {
  name: 'classic Notebook', server: CLASSIC_SERVER,
  cells: '#notebook-container .cell.code_cell', source: '.CodeMirror-code', prompt: '.input_prompt',
  outputs: '.output', outputChildren: ':scope > .output_area',
  kernelName: '.kernel_indicator_name',
  status: page => page.evaluate(() => {
    const icon = document.querySelector('#kernel_indicator_icon');
    return icon?.classList.contains('kernel_idle_icon') ? 'idle' : icon?.classList.contains('kernel_busy_icon') ? 'busy' : 'starting';
  }),
  runAll: async page => { await page.click('#celllink'); await page.click('#run_all_cells'); },
};

/** Waits until the notebook's kernel is ours and idle (and stays idle for a moment). */
async function waitForKernel(page, ui = LAB, timeout = 240_000) {
  const deadline = Date.now() + timeout;
  let idleSince = 0;
  while (Date.now() < deadline) {
    const state = await page.evaluate(([name, selector]) => ({
      kernel: [...document.querySelectorAll(selector)].some(e => e.textContent.includes(name)),
    }), [KERNEL_DISPLAY_NAME, ui.kernelName]);
    state.status = await ui.status(page);
    if (state.kernel && state.status === 'idle') {
      idleSince = idleSince || Date.now();
      if (Date.now() - idleSince > 1000) return;
    } else {
      idleSince = 0;
    }
    await sleep(250);
  }
  throw new Error('the kernel did not become idle');
}

async function clickMenu(page, menu, item) {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${menu}$`) }).first().click();
  await page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).first().click();
}

/** Per code cell: source, prompt, and what its output area shows. */
async function codeCells(page, ui = LAB) {
  const { cells, source, prompt, outputs: outputArea, outputChildren } = ui;
  return page.evaluate(([cells, source, prompt, outputArea, outputChildren]) => [...document.querySelectorAll(cells)].map(cell => {
    const outputs = cell.querySelector(outputArea);
    const imgs = outputs ? [...outputs.querySelectorAll('img')] : [];
    const audios = outputs ? [...outputs.querySelectorAll('audio')] : [];
    return {
      source: cell.querySelector(source)?.innerText ?? '',
      prompt: cell.querySelector(prompt)?.textContent.trim() ?? '',
      images: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
      brokenImages: imgs.filter(i => i.complete && i.naturalWidth === 0).length,
      firstImage: imgs[0] ? imgs[0].src.length + ':' + imgs[0].src.slice(-40) : null,
      outputCount: outputs ? outputs.querySelectorAll(outputChildren).length : 0,
      tables: outputs ? outputs.querySelectorAll('table').length : 0,
      audios: audios.length,
      playableAudios: audios.filter(a => a.readyState >= 1 && a.duration > 0).length,
      text: outputs ? outputs.innerText.slice(0, 2000) : '',
      html: outputs ? outputs.innerHTML.replace(/base64,[^"]*/g, 'base64,...').slice(0, 300) : '',
    };
  }), [cells, source, prompt, outputArea, outputChildren]);
}

/**
 * Runs every cell from the Run menu and waits until none is queued or running; meanwhile watches each
 * training cell (".fit(") for its live chart: how many pictures its output shows and how often the
 * picture changed while the cell ran.
 */
async function runAllAndWatch(page, ui = LAB, timeout = 1_200_000) {
  const before = await codeCells(page, ui);
  const started = Date.now();
  await ui.runAll(page);
  const live = new Map(); // cell index -> [{ outputs, images, src }] sampled while it ran
  let quietSince = 0;
  while (Date.now() - started < timeout) {
    const cells = await codeCells(page, ui);
    cells.forEach((cell, i) => {
      if (!/\.fit\(/.test(cell.source)) return;
      const samples = live.get(i) || [];
      if (cell.prompt.includes('*') && cell.firstImage) {
        samples.push({ outputs: cell.outputCount, images: cell.images, src: cell.firstImage });
      }
      live.set(i, samples);
    });
    const busy = cells.some(c => c.prompt.includes('*'));
    const status = await ui.status(page);
    if (!busy && status === 'idle' && Date.now() - started > 3000) {
      quietSince = quietSince || Date.now();
      if (Date.now() - quietSince > 1500) break;
    } else {
      quietSince = 0;
    }
    await sleep(300);
  }
  const seconds = (Date.now() - started) / 1000;
  await showAllImages(page, ui);
  return { seconds, before, after: await codeCells(page, ui), live };
}

/** Scrolls every output picture into view and waits until it is decoded, as a reader scrolling down would. */
async function showAllImages(page, ui) {
  await page.evaluate(async ([cells, outputs]) => {
    for (const img of document.querySelectorAll(`${cells} ${outputs} img`)) {
      img.scrollIntoView({ block: 'center' });
      await img.decode().catch(() => {});
    }
  }, [ui.cells, ui.outputs]);
}

/**
 * A live chart redrawn in place: while the cell trains, its picture changes again and again while the
 * number of outputs stays what it was when the picture first appeared (appending would add outputs).
 */
function liveChartInPlace(samples) {
  if (samples.length === 0) return { ok: false, detail: 'no picture while the cell ran' };
  const first = samples[0].outputs;
  const inPlace = samples.filter(x => x.outputs === first);
  const pictures = new Set(inPlace.map(x => x.src)).size;
  const most = Math.max(...samples.map(x => x.outputs));
  return {
    ok: pictures >= 3 && inPlace.every(x => x.images === 1),
    detail: `${pictures} different pictures in one output while training (${first} output(s); at most ${most} by the end of the cell)`,
  };
}

/** Saves from the frontend and reads back the notebook it holds (its outputs as the kernel sent them). */
async function savedNotebook(page, path, ui = LAB) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await sleep(1500);
  return (await api(`/api/contents/${encodeURIComponent(path).replace(/%2F/g, '/')}?content=1`, {}, ui.server)).content;
}

/** What the outputs carry, from the saved notebook: errors, pictures, tables, sound. */
function outputSummary(nb) {
  const summary = { errors: [], pictures: 0, tables: 0, audio: 0, picturesPerCodeCell: [],
                    expectPng: nb.metadata?.seqlab?.expect_png_outputs ?? 0 };
  nb.cells.filter(c => c.cell_type === 'code').forEach((cell, i) => (cell.outputs || []).forEach(out => {
    if (out.output_type === 'error') summary.errors.push(`code cell ${i}: ${out.ename}: ${String(out.evalue).slice(0, 200)}`);
    const data = out.data || {};
    const html = [].concat(data['text/html'] || []).join('');
    const pictures = html ? (html.match(/<img/g) || []).length : data['image/png'] ? 1 : 0;
    summary.pictures += pictures;
    summary.picturesPerCodeCell[i] = (summary.picturesPerCodeCell[i] || 0) + pictures;
    if (html.includes('<table')) summary.tables++;
    if (Object.keys(data).some(m => m.startsWith('audio/')) || html.includes('<audio')) summary.audio++;
  }));
  return summary;
}

/** The checks every notebook gets, in either frontend: no error output, pictures and players rendered. */
async function checkRunAll(page, label, path, run, ui = LAB) {
  const nb = await savedNotebook(page, path, ui);
  const s = outputSummary(nb);
  const cells = run.after;
  const executed = nb.cells.filter(c => c.cell_type === 'code' && c.execution_count).length;
  const code = nb.cells.filter(c => c.cell_type === 'code').length;
  check(`${label}: every code cell ran`, executed === code, `${executed} of ${code}`);
  check(`${label}: no error outputs`, s.errors.length === 0, s.errors.join('; '));
  const stderr = cells.flatMap((c, i) => /Exception/.test(c.text) ? [`cell ${i}: ${c.text.slice(0, 160)}`] : []);
  check(`${label}: no exception shown`, stderr.length === 0, stderr.join('; '));
  const images = cells.reduce((n, c) => n + c.images, 0);
  const broken = cells.reduce((n, c) => n + c.brokenImages, 0);
  const missing = cells.flatMap((c, i) => c.images < (s.picturesPerCodeCell[i] || 0)
    ? [`code cell ${i} shows ${c.images} of ${s.picturesPerCodeCell[i]}: ${c.html}`] : []);
  check(`${label}: pictures rendered`, images >= Math.max(1, s.pictures, s.expectPng) && broken === 0 && missing.length === 0,
    `${images} shown for ${s.pictures} pictures in the outputs (metadata expects ${s.expectPng} PNG outputs), ${broken} broken`
    + (missing.length ? '; ' + missing.join('; ') : ''));
  const tables = cells.reduce((n, c) => n + c.tables, 0);
  check(`${label}: tables rendered`, tables >= s.tables, `${tables} shown for ${s.tables} HTML table outputs`);
  if (s.audio > 0) {
    await sleep(1000); // let the players read their data
    const players = (await codeCells(page, ui)).reduce((n, c) => n + c.playableAudios, 0);
    check(`${label}: audio players`, players >= s.audio,
      `${players} playable <audio> elements for ${s.audio} sound outputs`
      + (players < s.audio ? ' (JupyterLab renders no audio/* mime type by itself: send text/html with an <audio> element)' : ''));
  }
  for (const [i, samples] of run.live) {
    const verdict = liveChartInPlace(samples);
    check(`${label}: cell ${i} live chart redrawn in place`, verdict.ok, verdict.detail);
  }
  return s;
}

// ---- JupyterLab -----------------------------------------------------------------------------------

async function openInLab(page, path) {
  const t0 = Date.now();
  await page.goto(`${BASE}/lab/tree/${path}?reset&token=${TOKEN}`); // reset: no tabs restored from before
  await page.locator(`${NOTEBOOK} .jp-Cell`).first().waitFor({ timeout: 180_000 });
  const shown = Date.now();
  await waitForKernel(page);
  timings.push(`JupyterLab ${path}: page ${seconds(shown - t0)}, kernel start ${seconds(Date.now() - shown)}`);
  return Date.now() - shown;
}

/** The editor of a new code cell below the last cell, focused. */
async function newCodeCell(page) {
  await page.locator(`${NOTEBOOK} .jp-Cell`).last().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  const cell = page.locator(`${NOTEBOOK} .jp-Cell`).last();
  await cell.locator('.cm-content').click();
  return cell;
}

async function typeCode(page, text) {
  await page.keyboard.type(text, { delay: 5 });
}

async function checkLauncher(page) {
  await page.goto(`${BASE}/lab?token=${TOKEN}`);
  await page.locator('.jp-Launcher').first().waitFor({ timeout: 120_000 });
  const card = page.locator(`.jp-LauncherCard[title="${KERNEL_DISPLAY_NAME}"], .jp-LauncherCard[data-category="Notebook"]`)
    .filter({ hasText: KERNEL_DISPLAY_NAME }).first();
  await card.waitFor({ timeout: 30_000 });
  const logo = await card.evaluate(c => {
    const img = c.querySelector('img');
    return img ? { src: img.getAttribute('src'), width: img.naturalWidth } : null;
  });
  await page.screenshot({ path: `${OUT}/lab-launcher.png` });
  check('JupyterLab launcher shows the seqlab logo', !!logo && logo.width > 0 && /kernelspecs\/seqlab\/logo/.test(logo.src),
    logo ? `${logo.src} (${logo.width} px)` : 'no image on the card');
}

async function checkEditing(page) {
  const cell = await newCodeCell(page);
  await typeCode(page, 'final var word = new String("seq"); // a comment');
  await sleep(500);
  const colours = await cell.evaluate(c => {
    const probe = document.createElement('span');
    document.body.appendChild(probe);
    const colourOf = variable => { probe.style.color = `var(${variable})`; return getComputedStyle(probe).color; };
    const want = { keyword: colourOf('--jp-mirror-editor-keyword-color'), string: colourOf('--jp-mirror-editor-string-color'),
                   comment: colourOf('--jp-mirror-editor-comment-color'), plain: getComputedStyle(c.querySelector('.cm-line')).color };
    probe.remove();
    const spanColour = text => {
      const span = [...c.querySelectorAll('.cm-line span')].find(s => s.textContent === text || s.textContent.includes(text));
      return span ? getComputedStyle(span).color : null;
    };
    return { want, new: spanColour('new'), final: spanColour('final'), string: spanColour('"seq"'), comment: spanColour('// a comment') };
  });
  await page.screenshot({ path: `${OUT}/lab-new-cell.png` });
  check('JupyterLab highlights Java in a new cell',
    colours.new === colours.want.keyword && colours.final === colours.want.keyword && colours.string === colours.want.string
      && colours.comment === colours.want.comment && colours.new !== colours.want.plain,
    JSON.stringify(colours));

  await newCodeCell(page);
  await typeCode(page, 'Math.m');
  const completer = page.locator('.jp-Completer');
  let items = [];
  let presses = 0;
  const t0 = Date.now();
  // JupyterLab waits 1 s for the kernel's answer (providerTimeout); on a busy machine a user presses Tab again
  while (presses < 3 && items.length === 0) {
    await page.keyboard.press('Tab');
    presses++;
    try {
      await completer.waitFor({ state: 'visible', timeout: 5_000 });
      items = await completer.evaluate(c => [...c.querySelectorAll('.jp-Completer-item')].map(i => {
        const type = i.querySelector('.jp-Completer-type');
        const extended = i.querySelector('.jp-Completer-typeExtended');
        return {
          label: i.querySelector('.jp-Completer-match')?.textContent ?? i.textContent,
          // the kind the kernel gave (_jupyter_types_experimental): a monogram or icon, and its name
          kind: (extended?.textContent || type?.textContent || '').trim() || (type?.querySelector('svg') ? 'icon' : ''),
          html: i.outerHTML.slice(0, 400),
        };
      }));
    } catch (e) { /* no popup yet */ }
  }
  timings.push(`Tab completion popup: ${presses} press(es) of Tab, ${seconds(Date.now() - t0)}`);
  await page.screenshot({ path: `${OUT}/lab-completion.png` });
  check('JupyterLab shows a Tab completion popup', items.some(i => /^max/.test(i.label)) && items.some(i => /^min/.test(i.label)),
    items.slice(0, 8).map(i => i.label + (i.kind ? ` [${i.kind}]` : '')).join(', ') || 'no popup');
  check('completion items carry their kinds (icons in the popup)', items.length > 0 && items.every(i => i.kind),
    `${items.filter(i => i.kind).length} of ${items.length} items with a kind` + (items[0] ? `; first item: ${items[0].html}` : ''));
  await page.keyboard.press('Escape');

  // Contextual Help: the inspector follows the cursor; put it on a seqlab class, in a cell of its own
  const helpCell = await newCodeCell(page);
  await typeCode(page, 'Vocab.chars');
  await clickMenu(page, 'Help', 'Show Contextual Help');
  const inspector = page.locator('.jp-Inspector-content').last();
  await inspector.waitFor({ timeout: 10_000 });
  // the panel takes the focus; the inspector asks the kernel about the cursor of the notebook's editor
  await helpCell.locator('.cm-line').last().click();
  await page.keyboard.press('End');
  let help = '';
  const placeholder = /No Documentation|Click on a function|will appear here/i;
  for (let i = 0; i < 30; i++) {
    help = (await inspector.innerText().catch(() => '')).trim();
    if (help && !placeholder.test(help)) break;
    if (i % 4 === 0) { // an edit asks again
      await page.keyboard.type(' ');
      await page.keyboard.press('Backspace');
    }
    await sleep(500);
  }
  await page.screenshot({ path: `${OUT}/lab-contextual-help.png` });
  check('Contextual Help shows documentation for a seqlab class', /Vocab/.test(help) && !placeholder.test(help) && help.length > 30,
    JSON.stringify(help.slice(0, 200)));
  // close the help panel's tab again, back to the notebook
  await page.locator('.lm-TabBar-tab', { hasText: 'Contextual Help' }).locator('.lm-TabBar-tabCloseIcon').first().click().catch(() => {});
}

async function checkInterrupt(page) {
  const cell = await newCodeCell(page);
  await typeCode(page, 'var h2 = model.fit(data, FitOptions.steps(100_000).adam(3e-3));');
  await page.keyboard.press('Control+Enter');
  await cell.locator('.jp-OutputArea img').first().waitFor({ timeout: 240_000 });
  await sleep(3000); // a few training steps
  await cell.scrollIntoViewIfNeeded();
  const t0 = Date.now();
  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').click();
  let state;
  for (let i = 0; i < 120; i++) {
    state = await cell.evaluate(c => ({
      prompt: c.querySelector('.jp-InputPrompt')?.textContent.trim(),
      text: c.querySelector('.jp-OutputArea')?.innerText ?? '',
    }));
    state.status = await executionStatus(page);
    if (!state.prompt.includes('*') && state.status === 'idle') break;
    await sleep(250);
  }
  const latency = Date.now() - t0;
  timings.push(`interrupt from the toolbar: training cell ended after ${seconds(latency)}`);
  await page.screenshot({ path: `${OUT}/lab-interrupted.png` });
  check('the toolbar interrupt ends a training cell and the kernel is idle', !state.prompt.includes('*') && /interrupt/i.test(state.text)
      && state.status === 'idle',
    `after ${seconds(latency)}, prompt ${state.prompt}, kernel ${state.status}, output ends ${JSON.stringify(state.text.slice(-160))}`);
  const next = await newCodeCell(page);
  await typeCode(page, '6 * 7');
  await page.keyboard.press('Control+Enter');
  let answer = '';
  for (let i = 0; i < 120 && !/42/.test(answer); i++) {
    await sleep(250);
    answer = await next.locator('.jp-OutputArea').innerText().catch(() => '');
  }
  check('the kernel runs the next cell after the interrupt', /\b42\b/.test(answer), JSON.stringify(answer.slice(0, 80)));
}

async function checkRunAllStops(page) {
  const path = 'run-all-stops.ipynb';
  const cell = source => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null });
  await api(`/api/contents/${path}`, { method: 'PUT', body: JSON.stringify({ type: 'notebook', format: 'json', content: {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'seqlab', display_name: KERNEL_DISPLAY_NAME, language: 'java' } },
    cells: [cell('int before = 1;'), cell('throw new IllegalStateException("stop here");'), cell('int after = 2;\nSystem.out.println("ran after the failure");')],
  } }) });
  await openInLab(page, path);
  const run = await runAllAndWatch(page, LAB, 180_000);
  await page.screenshot({ path: `${OUT}/lab-run-all-stops.png` });
  const [first, failing, after] = run.after;
  check('Run All stops at the first failing cell',
    /\d/.test(first.prompt) && /IllegalStateException/.test(failing.text) && !/\d/.test(after.prompt) && !/ran after/.test(after.text),
    `prompts ${run.after.map(c => c.prompt).join(' ')}; last cell output ${JSON.stringify(after.text.slice(0, 80))}`);
  await shutDownKernels();
}

async function labNotebook(page, path, interactive) {
  await openInLab(page, path);
  const run = await runAllAndWatch(page);
  timings.push(`JupyterLab ${path}: run all ${seconds(run.seconds * 1000)}`);
  const fit = [...run.live.keys()][0];
  if (fit !== undefined) {
    await page.locator(`${NOTEBOOK} .jp-CodeCell`).nth(fit).scrollIntoViewIfNeeded();
  }
  await page.screenshot({ path: `${OUT}/lab-${path.replace(/\.ipynb$/, '')}.png` });
  await checkRunAll(page, `JupyterLab ${path}`, path, run);
  if (interactive) {
    await checkEditing(page);
    await checkInterrupt(page);
  }
  await shutDownKernels();
}

// ---- Notebook 7 -----------------------------------------------------------------------------------

/** Notebook 7 (and, opt-in, the classic Notebook): open, run all, the same checks on what it shows. */
async function smokeTest(page, ui, url, path) {
  const t0 = Date.now();
  await page.goto(url);
  await page.locator(ui.cells).first().waitFor({ timeout: 180_000 });
  const shown = Date.now();
  await waitForKernel(page, ui);
  timings.push(`${ui.name} ${path}: page ${seconds(shown - t0)}, kernel start ${seconds(Date.now() - shown)}`);
  const run = await runAllAndWatch(page, ui);
  timings.push(`${ui.name} ${path}: run all ${seconds(run.seconds * 1000)}`);
  const fit = [...run.live.keys()][0];
  if (fit !== undefined) await page.locator(ui.cells).nth(fit).scrollIntoViewIfNeeded();
  const file = `${ui.name.toLowerCase().replace(/ /g, '-')}-${path.split('/').pop().replace(/\.ipynb$/, '')}.png`;
  await page.screenshot({ path: `${OUT}/${file}` });
  await checkRunAll(page, `${ui.name} ${path}`, path, run, ui);
  await shutDownKernels(ui.server);
}

// ---- main -------------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
const t0 = Date.now();
try {
  console.log(`frontends: ${process.env.SEQLAB_VERSIONS || 'JupyterLab'}; Chromium ${browser.version()}`);
  await checkLauncher(page);
  for (const [i, path] of notebooks.entries()) {
    await labNotebook(page, path, i === 0).catch(e => check(`JupyterLab ${path}`, false, e.message));
  }
  await checkRunAllStops(page).catch(e => check('Run All stops at the first failing cell', false, e.message));
  const nb7 = `notebook7/${notebooks[0]}`;
  await smokeTest(page, NOTEBOOK7, `${BASE}/notebooks/${nb7}?token=${TOKEN}`, nb7)
    .catch(e => check(`Notebook 7 ${notebooks[0]}`, false, e.message));
  if (CLASSIC_SERVER) {
    await smokeTest(page, CLASSIC, `${CLASSIC_SERVER.base}/notebooks/${nb7}?token=${CLASSIC_SERVER.token}`, nb7)
      .catch(e => check(`classic Notebook ${notebooks[0]}`, false, e.message));
  }
} catch (e) {
  check('browser session', false, e.stack);
  await page.screenshot({ path: `${OUT}/failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
for (const t of timings) console.log(`time: ${t}`);
console.log(`time: browser tests ${seconds(Date.now() - t0)}`);
writeFileSync(`${OUT}/timings.txt`, timings.join('\n') + '\n');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

#include "ranker/web.h"

#include <cstdio>

#include "ranker/ranking.h"

namespace ranker {

namespace {

// The page, with @NAME@ marks for the numbers of the ranking formula (ranking.h), so that the
// explanation it shows cannot drift from the code that computes the score.
constexpr const char* kPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coffee Shop Ranker</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font: 1rem/1.45 system-ui, sans-serif; margin: 0; background: #f6f1eb; color: #2b1d14;
         overflow-wrap: anywhere; }
  header { background: #4b2e1e; color: #fff; padding: .9rem 1rem; }
  header h1 { margin: 0 auto; max-width: 60rem; font-size: 1.5rem; }
  main { max-width: 60rem; margin: 0 auto; padding: .5rem 1rem 2rem; }
  h2 { font-size: 1.25rem; margin: 1.2rem 0 .4rem; }
  .help { color: #6b5a4e; font-size: .9rem; margin: 0 0 .5rem; }
  .shop { background: #fff; border-radius: 8px; padding: .9rem 1rem; margin: 1rem 0; box-shadow: 0 1px 3px #0002; }
  .shop h3 { margin: 0 0 .2rem; font-size: 1.15rem; }
  .rank { color: #a0522d; margin-right: .5rem; }
  .meta { color: #6b5a4e; font-size: .9rem; margin: 0; }
  .score { border-bottom: 1px dotted #6b5a4e; cursor: help; }
  .photos { display: flex; flex-wrap: wrap; gap: .75rem; margin: .5rem 0 0; }
  .photos:empty { display: none; }
  .photos figure { margin: 0; width: 12rem; max-width: calc(50% - .375rem); }
  .photos img { display: block; height: 90px; max-width: 100%; border-radius: 4px; object-fit: cover; }
  .photos figcaption { font-size: .75rem; color: #6b5a4e; margin-top: .2rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin-top: .6rem; }
  form { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: 0; min-width: 0; max-width: 100%; }
  input, select, button { font: inherit; padding: .35rem .5rem; min-width: 0; max-width: 100%; }
  #add input { flex: 1 1 12rem; }
  .rate input { flex: 1 1 6rem; width: 10rem; }
  input[type=file] { flex: 1 1 12rem; width: 15rem; padding-left: 0; }
  button { flex: 0 0 auto; min-height: 2.4rem; padding: .35rem .9rem; background: #4b2e1e; color: #fff; border: 0;
           border-radius: 4px; cursor: pointer; }
  button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline: 3px solid #d2691e; outline-offset: 2px; }
  .feedback { min-height: 1.45em; margin: .5rem 0 0; color: #2e6b1e; font-weight: 600; }
  .feedback.error { color: #b00020; }
  .feedback:empty { min-height: 0; margin: 0; }
  @media (max-width: 30rem) {
    header, main { padding-left: .75rem; padding-right: .75rem; }
    .shop { padding: .75rem; }
    .actions form { flex: 1 1 100%; }
  }
</style>
</head>
<body>
<header><h1>&#9749; Coffee Shop Ranker</h1></header>
<main>
  <section aria-labelledby="add-title">
    <h2 id="add-title">Add a shop</h2>
    <form id="add">
      <input name="name" placeholder="Name" aria-label="Shop name" required maxlength="100">
      <input name="address" placeholder="Address" aria-label="Address" required maxlength="200">
      <button>Add</button>
    </form>
    <p id="add-feedback" class="feedback" role="status" aria-live="polite"></p>
  </section>
  <section aria-labelledby="ranking-title">
    <h2 id="ranking-title">Ranking</h2>
    <p id="score-help" class="help">Shops are ranked by <strong>score</strong>, a Bayesian average:
      (@PRIOR_VOTES@ &times; @PRIOR_MEAN@ + the sum of all stars) &divide; (@PRIOR_VOTES@ + the number of votes).
      Every shop starts as if it had @PRIOR_VOTES@ votes of @PRIOR_MEAN@ &#9733;, so a single 5 &#9733; vote scores
      @ONE_FIVE@ and does not outrank fifty votes averaging 4.8 &#9733; (@FIFTY@).</p>
    <div id="shops">Loading&hellip;</div>
  </section>
</main>
<script>
const SCORE_FORMULA = 'score = (@PRIOR_VOTES@ \u00d7 @PRIOR_MEAN@ + sum of stars) \u00f7 (@PRIOR_VOTES@ + votes)';
const cards = new Map();  // shop id -> the card's parts, kept across reloads (typed names, messages, focus)

async function api(method, path, body, headers) {
  const res = await fetch(path, { method, body, headers });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText || 'HTTP ' + res.status);
  return data;
}
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
// Shows a message in a status line (a card's, or the add form's) and scrolls it into view if the
// action's button sits at the bottom of the screen.
function say(box, text, isError) {
  box.textContent = text;
  box.classList.toggle('error', !!isError);
  if (box.isConnected) box.scrollIntoView({ block: 'nearest' });
}
function votesText(shop) {
  return shop.votes ? shop.rating.toFixed(2) + ' \u2605 from ' + shop.votes + ' vote' + (shop.votes > 1 ? 's' : '')
                    : 'no votes yet';
}
// A photo, linked to its public S3 URL (the object itself, readable without credentials).
function photoFigure(shop, p) {
  const link = el('a', { href: p.url, target: '_blank', rel: 'noopener' },
                  el('img', { src: p.url, alt: 'Photo of ' + shop.name, loading: 'lazy' }));
  return el('figure', {}, link,
            el('figcaption', {}, 'Stored in S3: bucket ', el('code', {}, p.bucket), ', key ', el('code', {}, p.key)));
}
function shopCard(first) {
  let shop = first;
  const base = 'shop-' + shop.id;
  const rank = el('span', { class: 'rank' });
  const name = el('span', {});
  const address = document.createTextNode('');
  const votes = document.createTextNode('');
  const score = el('span', { class: 'score', title: SCORE_FORMULA, 'aria-describedby': 'score-help' });
  const meta = el('p', { class: 'meta' }, address, ' \u00b7 ', votes, ' \u00b7 ', score);
  const photos = el('div', { class: 'photos' });
  const feedback = el('p', { class: 'feedback', role: 'status', 'aria-live': 'polite' });
  const card = el('article', { class: 'shop', id: base, 'aria-labelledby': base + '-name' },
                  el('h3', { id: base + '-name' }, rank, name), meta, photos);

  const user = el('input', { name: 'user', placeholder: 'Your name', 'aria-label': 'Your name', required: '', maxlength: '64',
                             autocomplete: 'nickname' });
  const stars = el('select', { name: 'stars', 'aria-label': 'Stars' });
  for (let s = 5; s >= 1; s--) stars.append(el('option', { value: s }, '\u2605'.repeat(s)));
  const rate = el('form', { class: 'rate' }, user, stars, el('button', {}, 'Rate'));
  let busy = false;
  rate.onsubmit = async ev => {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    const who = user.value.trim(), n = Number(stars.value);
    say(feedback, 'Saving your vote\u2026');
    try {
      const updated = await api('PUT', '/api/shops/' + shop.id + '/ratings/' + encodeURIComponent(who),
                                JSON.stringify({ stars: n }), { 'Content-Type': 'application/json' });
      parts.update(updated);
      say(feedback, 'Rated ' + n + ' \u2605 by ' + who + '. ' + shop.name + ' now has ' + votesText(updated) +
                    ', score ' + updated.score.toFixed(2) + '.');
      load();
    } catch (e) {
      say(feedback, 'Could not rate: ' + e.message, true);
    } finally {
      busy = false;
    }
  };

  const file = el('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp', required: '',
                             'aria-label': 'Photo of ' + shop.name });
  const upload = el('form', { class: 'upload' }, file, el('button', {}, 'Upload photo'));
  upload.onsubmit = async ev => {
    ev.preventDefault();
    say(feedback, 'Uploading\u2026');
    try {
      const p = await api('POST', '/api/shops/' + shop.id + '/photos', new FormData(upload));
      photos.append(photoFigure(shop, p));
      upload.reset();
      say(feedback, 'Photo uploaded. Stored in S3: bucket ' + p.bucket + ', key ' + p.key + '.');
    } catch (e) {
      say(feedback, 'Upload failed: ' + e.message, true);
    }
  };
  card.append(el('div', { class: 'actions' }, rate, upload), feedback);

  const parts = {
    card, feedback,
    update(s, index) {
      shop = s;
      if (index !== undefined) rank.textContent = '#' + (index + 1);
      name.textContent = s.name;
      address.data = s.address;
      votes.data = votesText(s);
      score.textContent = 'score ' + s.score.toFixed(2);
    },
  };
  parts.update(shop);
  api('GET', '/api/shops/' + shop.id + '/photos').then(list => {
    for (const p of list) photos.append(photoFigure(shop, p));
  }).catch(e => say(feedback, 'Could not list photos: ' + e.message, true));
  return parts;
}
// Reads the ranking and puts the cards in its order; existing cards are updated, not rebuilt.
async function load() {
  const box = document.getElementById('shops');
  let shops;
  try {
    shops = await api('GET', '/api/shops');
  } catch (e) {
    box.textContent = 'Could not read the ranking: ' + e.message;
    return;
  }
  const ordered = shops.map((s, i) => {
    let parts = cards.get(s.id);
    if (!parts) cards.set(s.id, parts = shopCard(s));
    parts.update(s, i);
    return parts.card;
  });
  const listed = new Set(shops.map(s => s.id));
  for (const id of [...cards.keys()]) if (!listed.has(id)) cards.delete(id);
  if (!shops.length) {
    box.textContent = 'No shops yet: add one above.';
    return;
  }
  if (box.children.length !== ordered.length || ordered.some((c, i) => box.children[i] !== c)) {
    const focused = document.activeElement;  // moving a card would drop the focus inside it
    box.replaceChildren(...ordered);
    if (focused && focused !== document.activeElement && box.contains(focused)) focused.focus();
  }
}
document.getElementById('add').onsubmit = async ev => {
  ev.preventDefault();
  const f = ev.target, addFeedback = document.getElementById('add-feedback');
  try {
    const shop = await api('POST', '/api/shops',
                           JSON.stringify({ name: f.elements['name'].value, address: f.elements['address'].value }),
                           { 'Content-Type': 'application/json' });
    f.reset();
    await load();
    const parts = cards.get(shop.id);
    say(addFeedback, 'Added ' + shop.name + ' to the ranking below.');
    if (parts) say(parts.feedback, 'New shop: be the first to rate it or upload a photo.');
  } catch (e) {
    say(addFeedback, 'Could not add the shop: ' + e.message, true);
  }
};
load();
</script>
</body>
</html>
)HTML";

std::string two_decimals(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", d);
  return buf;
}

std::string number(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

void replace_all(std::string& s, const std::string& mark, const std::string& value) {
  for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + value.size()))
    s.replace(at, mark.size(), value);
}

}  // namespace

const std::string& index_html() {
  static const std::string page = [] {
    std::string p = kPage;
    replace_all(p, "@PRIOR_VOTES@", std::to_string(kPriorVotes));
    replace_all(p, "@PRIOR_MEAN@", number(kPriorMean));
    replace_all(p, "@ONE_FIVE@", two_decimals(bayesian_score(1, 5)));
    replace_all(p, "@FIFTY@", two_decimals(bayesian_score(50, 240)));
    return p;
  }();
  return page;
}

}  // namespace ranker

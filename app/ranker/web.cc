#include "ranker/web.h"

namespace ranker {

const std::string& index_html() {
  static const std::string page = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coffee Shop Ranker</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f1eb; color: #2b1d14; }
  header { background: #4b2e1e; color: #fff; padding: 1rem 2rem; }
  header h1 { margin: 0; font-size: 1.6rem; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem 2rem; }
  .shop { background: #fff; border-radius: 8px; padding: 1rem; margin: 1rem 0; box-shadow: 0 1px 3px #0002; }
  .shop h2 { margin: 0 0 .25rem; font-size: 1.2rem; }
  .rank { color: #a0522d; margin-right: .5rem; }
  .meta { color: #6b5a4e; font-size: .9rem; }
  .photos img { height: 90px; margin: .5rem .5rem 0 0; border-radius: 4px; }
  form { display: inline-flex; gap: .4rem; margin: .5rem 1rem 0 0; align-items: center; }
  input, select, button { font: inherit; padding: .2rem .4rem; }
  button { background: #4b2e1e; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  #status { min-height: 1.2rem; color: #a0522d; }
</style>
</head>
<body>
<header><h1>&#9749; Coffee Shop Ranker</h1></header>
<main>
  <p id="status"></p>
  <section>
    <h2>Add a shop</h2>
    <form id="add">
      <input name="name" placeholder="Name" required maxlength="100">
      <input name="address" placeholder="Address" required maxlength="200">
      <button>Add</button>
    </form>
  </section>
  <section><h2>Ranking</h2><div id="shops">Loading&hellip;</div></section>
</main>
<script>
const statusLine = document.getElementById('status');
function say(text) { statusLine.textContent = text; }
async function api(method, path, body, headers) {
  const res = await fetch(path, { method, body, headers });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
function shopCard(shop, index) {
  const card = el('div', { class: 'shop' });
  card.append(el('h2', {}, el('span', { class: 'rank' }, '#' + (index + 1)), shop.name));
  card.append(el('div', { class: 'meta' }, shop.address + ' \u00b7 ' +
    (shop.votes ? shop.rating.toFixed(2) + ' \u2605 from ' + shop.votes + ' vote' + (shop.votes > 1 ? 's' : '') : 'no votes yet') +
    ' \u00b7 score ' + shop.score.toFixed(2)));
  const photos = el('div', { class: 'photos' });
  card.append(photos);
  api('GET', '/api/shops/' + shop.id + '/photos').then(list => {
    for (const p of list) photos.append(el('img', { src: p.url, alt: shop.name + ' photo', loading: 'lazy' }));
  }).catch(e => say(e.message));

  const rate = el('form', {}, el('input', { name: 'user', placeholder: 'Your name', required: '', maxlength: '64' }));
  const stars = el('select', { name: 'stars' });
  for (let s = 5; s >= 1; s--) stars.append(el('option', { value: s }, '\u2605'.repeat(s)));
  rate.append(stars, el('button', {}, 'Rate'));
  rate.onsubmit = async ev => {
    ev.preventDefault();
    try {
      await api('PUT', '/api/shops/' + shop.id + '/ratings/' + encodeURIComponent(rate.elements['user'].value),
                JSON.stringify({ stars: Number(stars.value) }), { 'Content-Type': 'application/json' });
      say('Thanks for rating ' + shop.name + '!');
      load();
    } catch (e) { say(e.message); }
  };
  const upload = el('form', {}, el('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp', required: '' }),
                    el('button', {}, 'Upload photo'));
  upload.onsubmit = async ev => {
    ev.preventDefault();
    try {
      await api('POST', '/api/shops/' + shop.id + '/photos', new FormData(upload));
      say('Photo uploaded.');
      load();
    } catch (e) { say(e.message); }
  };
  card.append(rate, upload);
  return card;
}
async function load() {
  const box = document.getElementById('shops');
  try {
    const shops = await api('GET', '/api/shops');
    box.replaceChildren(...shops.map(shopCard));
    if (!shops.length) box.textContent = 'No shops yet: add one above.';
  } catch (e) { box.textContent = ''; say(e.message); }
}
document.getElementById('add').onsubmit = async ev => {
  ev.preventDefault();
  const f = ev.target;
  try {
    await api('POST', '/api/shops', JSON.stringify({ name: f.elements['name'].value, address: f.elements['address'].value }),
              { 'Content-Type': 'application/json' });
    f.reset();
    say('Shop added.');
    load();
  } catch (e) { say(e.message); }
};
load();
</script>
</body>
</html>
)HTML";
  return page;
}

}  // namespace ranker

// The web page: search, responsibility network, SPARQL editor. Vanilla JS; every value is set as text.
"use strict";

function el(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

const KIND_ZH = {
  Agency: "单位", Mechanism: "机制", Platform: "平台", Campaign: "专项行动", Brand: "品牌",
  TargetGroup: "对象群体", PolicyArea: "政策领域", LegalInstrument: "法规文件", Place: "地区",
};

function questionLink(hit) {
  if (hit.kind === "Mechanism" || hit.kind === "Platform") {
    return ["/ask/responsible?" + new URLSearchParams({ name: hit.name, kind: hit.kind.toLowerCase() }), "谁负责"];
  }
  if (hit.kind === "Agency") return ["/ask/tasks?" + new URLSearchParams({ agency: hit.name }), "任务"];
  return null;
}

async function search(event) {
  event.preventDefault();
  const q = document.getElementById("search-q").value;
  const list = document.getElementById("search-results");
  list.replaceChildren();
  const response = await fetch("/api/search?q=" + encodeURIComponent(q));
  if (!response.ok) { list.append(el("li", "搜索失败：" + response.status)); return; }
  const hits = await response.json();
  if (hits.length === 0) list.append(el("li", "没有结果"));
  for (const hit of hits) {
    const item = el("li");
    const link = el("a", hit.name);
    link.href = hit.page;
    item.append(link, el("span", " · " + (KIND_ZH[hit.kind] || hit.kind) + " · " + hit.documents + " 份文件"));
    const question = questionLink(hit);
    if (question) {
      const ask = el("a", " " + question[1]);
      ask.href = question[0];
      ask.className = "ask-link";
      item.append(ask);
    }
    if (hit.kind === "Mechanism" || hit.kind === "Platform" || hit.kind === "Agency") {
      const view = el("a", " 关系图");
      view.href = "/viz/neighbourhood?iri=" + encodeURIComponent(hit.entity);
      view.className = "viz-link";
      item.append(view);
    }
    list.append(item);
  }
}

function showNetwork(event) {
  if (event) event.preventDefault();
  const params = new URLSearchParams();
  const focus = document.getElementById("network-focus").value.trim();
  const year = document.getElementById("network-year").value.trim();
  const place = document.getElementById("network-jurisdiction").value.trim();
  const boxes = document.querySelectorAll("#network-kinds input[name=kind]");
  const kinds = Array.from(boxes).filter((box) => box.checked).map((box) => box.value);
  if (focus) params.set("focus", focus);
  if (kinds.length < boxes.length) for (const kind of kinds) params.append("kind", kind);
  if (year) params.set("year", year);
  if (place) params.set("jurisdiction", place);
  document.getElementById("network-frame").src = "/viz/responsibility?" + params.toString();
}

const KIND_NAMES = { Agency: "单位", Mechanism: "机制", Platform: "平台" };

// Fill the focus box with the graph's names (most connected first) and start from the first mechanism.
async function startNetwork() {
  let names = [];
  try {
    const response = await fetch("/viz/names");
    if (response.ok) names = await response.json();
  } catch (err) {
    names = [];
  }
  const list = document.getElementById("network-names");
  for (const entry of names) {
    const option = document.createElement("option");
    option.value = entry.name;
    option.label = (KIND_NAMES[entry.kind] || entry.kind) + " · " + entry.links;
    list.append(option);
  }
  const focus = document.getElementById("network-focus");
  const first = names.find((entry) => entry.kind === "Mechanism");
  if (!focus.value && first) focus.value = first.name;
  showNetwork();
}

function renderTable(table, data) {
  table.replaceChildren();
  const head = el("tr");
  if (data.boolean !== undefined) {
    head.append(el("th", "ASK"));
    const row = el("tr");
    row.append(el("td", String(data.boolean)));
    table.append(head, row);
    return 1;
  }
  const vars = data.head.vars;
  for (const v of vars) head.append(el("th", v));
  table.append(head);
  for (const binding of data.results.bindings) {
    const row = el("tr");
    for (const v of vars) {
      const cell = el("td");
      const term = binding[v];
      if (term && term.type === "uri" && term.value.startsWith("https://w3id.org/zwgk/id/")) {
        const link = el("a", term.value);
        link.href = "/id/" + term.value.slice("https://w3id.org/zwgk/id/".length);
        cell.append(link);
      } else if (term) {
        cell.textContent = term.value;
      }
      row.append(cell);
    }
    table.append(row);
  }
  return data.results.bindings.length;
}

async function runQuery() {
  const status = document.getElementById("sparql-status");
  const table = document.getElementById("sparql-results");
  status.textContent = "…";
  const body = new URLSearchParams({ query: document.getElementById("sparql-query").value });
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ detail: response.statusText }));
    status.textContent = response.status + "：" + problem.detail;
    table.replaceChildren();
    return;
  }
  const rows = renderTable(table, await response.json());
  const cut = response.headers.get("X-Result-Truncated") === "true" ? "（结果已截断）" : "";
  status.textContent = rows + " 行" + cut;
}

function pickExample() {
  const examples = JSON.parse(document.getElementById("sparql-example-data").textContent);
  const index = document.getElementById("sparql-examples").value;
  if (index !== "") document.getElementById("sparql-query").value = examples[Number(index)].sparql;
}

document.getElementById("search-form").addEventListener("submit", search);
document.getElementById("network-form").addEventListener("submit", showNetwork);
startNetwork();
document.getElementById("sparql-run").addEventListener("click", runQuery);
document.getElementById("sparql-examples").addEventListener("change", pickExample);

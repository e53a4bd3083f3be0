// The admins' upload form: POST /ingest with the bearer token, then show what was extracted.
// Everything the server sends is inserted as text (textContent), never as HTML.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const status = document.getElementById("upload-status");
  const result = document.getElementById("upload-result");
  const REASONS = {
    400: "请求无效", 401: "令牌错误", 403: "本服务未开放更新", 413: "文件过大",
    422: "无法读取该文件", 503: "抽取超时",
  };

  function say(text) {
    status.hidden = false;
    status.textContent = text;
  }

  function el(tag, text, href) {
    const node = document.createElement(href ? "a" : tag);
    if (href) node.href = href;
    node.textContent = text == null ? "" : String(text);
    return node;
  }

  function chips(id, entries) {
    const list = document.getElementById(id);
    list.replaceChildren();
    if (!entries.length) list.append(el("li", "（无）"));
    for (const e of entries) {
      const li = document.createElement("li");
      li.append(el("a", e.name, e.href));
      list.append(li);
    }
  }

  function show(data, changed) {
    const meta = data.meta;
    document.getElementById("result-title").textContent = meta.title || meta.source_file;
    const dl = document.getElementById("result-meta");
    dl.replaceChildren();
    const rows = [["源文件", meta.source_file], ["文号", meta.number], ["年份", meta.year],
                  ["地区", meta.jurisdiction], ["发文单位", meta.issuer], ["层级", meta.level]];
    for (const [key, value] of rows) {
      if (!value) continue;
      dl.append(el("dt", key), el("dd", value));
    }
    document.getElementById("result-counts").textContent =
      `条目 ${data.items}　单位 ${data.agencies.length}　机制 ${data.mechanisms.length}　` +
      `平台 ${data.platforms.length}　责任关系 ${data.pairs.length}`;
    chips("result-agencies", data.agencies);
    chips("result-mechanisms", data.mechanisms);
    chips("result-platforms", data.platforms);
    const body = document.querySelector("#result-pairs tbody");
    body.replaceChildren();
    for (const p of data.pairs) {
      const tr = document.createElement("tr");
      const agency = document.createElement("td");
      agency.append(el("a", p.agency, p.agency_href));
      const name = document.createElement("td");
      name.append(el("a", p.name, p.href));
      tr.append(agency, el("td", p.kind), name, el("td", p.refs.join("、")));
      body.append(tr);
    }
    document.getElementById("result-review").href = data.href;
    result.hidden = false;
    say(changed ? "已上传并写入知识图谱。" : "内容与图中已有版本相同，未作更改。");
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const file = document.getElementById("upload-file").files[0];
    const token = document.getElementById("upload-token").value.trim();
    if (!file || !token) return;
    const body = new FormData();
    body.append("file", file, file.name);
    result.hidden = true;
    say("正在上传和抽取…（首次可能需要一分钟）");
    const button = document.getElementById("upload-submit");
    button.disabled = true;
    try {
      const response = await fetch("/ingest", {
        method: "POST", body, headers: { Authorization: "Bearer " + token },
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        const reason = REASONS[response.status] || `错误 ${response.status}`;
        say(`上传失败：${reason}（${answer.detail || response.statusText}）`);
        return;
      }
      const id = answer.document.replace("https://w3id.org/zwgk/id/", "");
      const summary = await fetch(`/api/documents/${id}/extracted`, { cache: "no-store" });
      if (!summary.ok) {
        say(`已上传，但无法读取抽取结果（${summary.status}）`);
        return;
      }
      show(await summary.json(), answer.changed);
    } catch (err) {
      say("上传失败：无法连接服务");
    } finally {
      button.disabled = false;
    }
  });
})();

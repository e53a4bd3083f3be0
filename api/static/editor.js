// The /editor page: YASGUI over this server's /sparql, with the named queries as templates.
// No request leaves the server: one endpoint (same origin), no LOV class/property autocompletion
// (only the variables and the bundled prefixes completers), no endpoint catalogue of other servers.
(function () {
  "use strict";
  const queries = JSON.parse(document.getElementById("editor-queries").textContent);
  const byName = Object.fromEntries(queries.map((q) => [q.name, q]));
  const endpoint = window.location.origin + "/sparql";
  const offline = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.autocompleters.splice(0, Infinity, ...offline);

  // whole cells by default (names and sentences wrap instead of being cut to the header's width);
  // the table's "Ellipse" box still switches to one-line cells
  const Table = Yasgui.Yasr.plugins.table;
  const draw = Table && Table.prototype.draw;
  if (draw) {
    Table.prototype.draw = function (config) {
      const settings = { ...config };
      if (settings.isEllipsed === undefined && this.persistentConfig.isEllipsed === undefined) {
        settings.isEllipsed = false;
      }
      if (settings.compact === undefined && this.persistentConfig.compact === undefined) {
        settings.compact = true;  // "Simple view": no quotes, datatypes or @zh on the cells
      }
      const drawn = draw.call(this, settings);
      relabel(this.yasr.pluginControls);
      return drawn;
    };
    Object.assign(Table.defaults.tableConfig.language, {
      info: "第 _START_–_END_ 行，共 _TOTAL_ 行",
      infoEmpty: "共 0 行",
      infoFiltered: "（筛选自 _MAX_ 行）",
      emptyTable: "无结果",
      zeroRecords: "没有符合筛选的行",
    });
  }
  // the table's own controls, in Chinese first
  const LABELS = { "Simple view": "简洁视图", Ellipse: "单行显示", "Page size: ": "每页行数：" };
  function relabel(controls) {
    if (!controls) return;
    controls.querySelectorAll(".label, .pageSizerLabel").forEach((el) => {
      const text = LABELS[el.textContent];
      if (text) el.textContent = text;
    });
    const filter = controls.querySelector(".tableFilter");
    if (filter) filter.placeholder = "筛选结果";
  }

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    persistenceId: "zwgk-editor",
    tabName: "查询",
    yasqe: { autocompleters: offline.slice() },
    yasr: {
      pluginOrder: ["table", "response"],
      defaultPlugin: "table",
      // short IRIs in the result cells, so the label columns (?name) get the room
      prefixes: { id: "https://w3id.org/zwgk/id/", zwgk: "https://w3id.org/zwgk/ontology#" },
    },
  });
  window.zwgkYasgui = yasgui;

  const rows = document.getElementById("editor-rows");
  const summary = document.getElementById("template-summary");

  function count(tab) {
    const results = tab && tab.getYasr().results;
    const bindings = results && results.getBindings ? results.getBindings() : null;
    rows.textContent = bindings ? `共 ${bindings.length} 行` : "";
  }
  yasgui.on("query", () => { rows.textContent = "查询中…"; });
  yasgui.on("queryResponse", (_instance, tab) => setTimeout(() => count(tab || yasgui.getTab()), 0));
  yasgui.on("tabSelect", () => setTimeout(() => count(yasgui.getTab()), 0));
  function current() {
    const tab = yasgui.getTab();
    tab.setEndpoint(endpoint);  // a tab restored from localStorage may name another endpoint
    return tab;
  }
  current();

  document.getElementById("template").addEventListener("change", (event) => {
    const q = byName[event.target.value];
    if (!q) return;
    const tab = current();
    tab.setName(q.name);
    tab.setQuery(q.sparql);
    summary.textContent = q.summary;
    rows.textContent = "";
  });
})();

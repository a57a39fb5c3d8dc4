"use strict";
// DOM helpers shared by the pages. Text always goes in through textContent, so a string
// from the server can never become markup.
// eslint-disable-next-line no-unused-vars
const termlightDom = (() => {
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  return { $, el };
})();

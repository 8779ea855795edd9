// Copy a citation (or any element named by data-copy) to the clipboard, with a fallback
// for browsers that refuse the asynchronous clipboard outside a secure context.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  const text = source.textContent.trim();
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch (error) {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    copied = document.execCommand("copy");
  }
  if (status) status.textContent = copied ? "已复制" : "请按 Ctrl+C 复制已选中的文字";
});

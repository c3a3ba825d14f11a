// Copy buttons for BibTeX blocks. Without JavaScript the block is plain, selectable text.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copyTarget).textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "已复制";
    } catch (err) {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById(button.dataset.copyTarget));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      button.textContent = "已选中，按 Ctrl+C";
    }
    setTimeout(() => { button.textContent = "复制"; }, 2000);
  });
});

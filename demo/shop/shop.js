// The shop's own script: "Add to cart" answers, and nothing more. The support bubble is
// the loader's business, added with one script tag on every page.
for (const button of document.querySelectorAll('.buy')) {
  button.addEventListener('click', () => {
    const note = button.nextElementSibling;
    if (note) note.textContent = 'Added to your cart (this is a demo shop).';
  });
}

function main(input) {
  class Button {
    constructor(label) {
      this.label = label;
      this.onClick = () => 'clicked ' + this.label;
    }
  }
  const b = new Button('OK');
  const handler = b.onClick;
  return handler();
}

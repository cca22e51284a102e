var a = 1, b = "x"; console.log(`a=${a} b=${b} sum=${a + 1}`, `plain`, `multi
line`, `nested ${`inner ${a}`}`, `${{a: 1}.a}`);

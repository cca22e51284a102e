console.log('it\'s', "say \"hi\"", `back\`tick`, '\\', "\u0022", '\u0027');

var let = 5; console.log(let); let = 6; console.log(let);

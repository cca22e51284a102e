console.log(typeof hoisted, typeof later); function hoisted() {} var later = 1;

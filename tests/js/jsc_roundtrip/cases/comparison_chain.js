console.log(1 < 2 < 3, 3 > 2 > 1, 1 == "1", 1 === "1", null == undefined, NaN != NaN, 1 <= 1 >= 0);

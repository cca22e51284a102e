console.log("<!-- not a comment -->", "</script>", "-->");
